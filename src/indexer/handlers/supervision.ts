import { IntegrityError } from "../../common/errors.js";
import { DisputeStatus, OutcomeKind, ReportStatus, SanctionKind, SevereKind, SubjectKind, nameOf } from "../../domain/enums.js";
import { subjectKey } from "../../domain/trace.js";
import { K } from "../../store/keys.js";
import { bump, monthOf, referDocument, type HandlerContext, type HandlerMap } from "../context.js";
import type {
  DisputeHistory,
  DisputeRecord,
  DisputeStatusName,
  EvidenceRecord,
  FreezeRecord,
  OutcomeRecord,
  ReportHistory,
  ReportRecord,
  ReportStatusName,
  SanctionKindName,
  SanctionRecord,
  SevereProposalRecord,
} from "../records.js";

/** Category codes of ReportCategories (contracts/libraries/SupervisionTypes.sol). */
export const REPORT_CATEGORIES: Readonly<Record<number, string>> = {
  1: "PrivacyComplaint",
  2: "UnauthorizedProcessing",
  3: "IllegalTrading",
  4: "FalseRegistration",
  5: "PricingViolation",
  6: "DataLeak",
  7: "Other",
};

const ID_MASK = (1n << 248n) - 1n;
/** A subject key's kind (by name) and id. */
export function splitSubject(key: string): { kind: string; id: string } {
  const v = BigInt(key);
  const kind = Number(v >> 248n);
  let name: string;
  try {
    name = nameOf(SubjectKind, kind);
  } catch {
    name = `Kind${kind}`;
  }
  const id = v & ID_MASK;
  return { kind: name, id: name === "Member" ? "0x" + id.toString(16).padStart(40, "0") : id.toString() };
}

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
const reportKey = (id: bigint): string => subjectKey(SubjectKind.Report, id);
const disputeKey = (id: bigint): string => subjectKey(SubjectKind.Dispute, id);

async function report(ctx: HandlerContext, id: bigint): Promise<ReportRecord> {
  const r = await ctx.ws.getJson<ReportRecord>(K.report(id));
  if (!r) throw new IntegrityError("DRL-INDEX-ORDER", `event for report ${id} before it was filed at ${ctx.cp}`);
  return r;
}

async function dispute(ctx: HandlerContext, id: bigint): Promise<DisputeRecord> {
  const d = await ctx.ws.getJson<DisputeRecord>(K.dispute(id));
  if (!d) throw new IntegrityError("DRL-INDEX-ORDER", `event for dispute ${id} before it was opened at ${ctx.cp}`);
  return d;
}

async function sanction(ctx: HandlerContext, id: bigint): Promise<SanctionRecord> {
  const s = await ctx.ws.getJson<SanctionRecord>(K.sanction(id));
  if (!s) throw new IntegrityError("DRL-INDEX-ORDER", `event for sanction ${id} before it was applied at ${ctx.cp}`);
  return s;
}

async function proposal(ctx: HandlerContext, id: bigint): Promise<SevereProposalRecord> {
  const p = await ctx.ws.getJson<SevereProposalRecord>(K.severe(id));
  if (!p) throw new IntegrityError("DRL-INDEX-ORDER", `event for severe proposal ${id} before it was proposed at ${ctx.cp}`);
  return p;
}

async function saveReport(ctx: HandlerContext, r: ReportRecord, event: ReportHistory["event"], by: string, reasonHash: string | null): Promise<void> {
  const id = BigInt(r.id);
  await ctx.ws.put(K.report(id), { ...r, updated: ctx.at });
  ctx.ws.insert(K.reportHistory(id, ctx.cp), { event, by: by.toLowerCase(), reasonHash, status: r.status, at: ctx.at } satisfies ReportHistory);
  if (reasonHash !== null) await referDocument(ctx, reasonHash, reportKey(id));
}

async function saveDispute(ctx: HandlerContext, d: DisputeRecord, event: string, by: string): Promise<void> {
  const id = BigInt(d.id);
  await ctx.ws.put(K.dispute(id), { ...d, updated: ctx.at });
  ctx.ws.insert(K.disputeHistory(id, ctx.cp), { event, by: by.toLowerCase(), status: d.status, at: ctx.at } satisfies DisputeHistory);
}

/** Makes `account` a party of dispute `id` with `relation`, unless it already is (claimant, respondent, arbiter). */
async function addDisputeParty(ctx: HandlerContext, account: string, id: bigint, relation: string): Promise<void> {
  const key = K.party(account, disputeKey(id));
  if ((await ctx.ws.get(key)) !== undefined) return;
  await ctx.ws.put(key, relation);
  ctx.ws.insert(K.disputesByParty(account, id), relation);
}

function freezeRow(ctx: HandlerContext, f: Omit<FreezeRecord, "at">): void {
  ctx.ws.insert(K.freeze(f.subject, ctx.cp), { ...f, at: ctx.at } satisfies FreezeRecord);
}

const reportStatus = (s: number): ReportStatusName => nameOf(ReportStatus, s) as ReportStatusName;
const disputeStatus = (s: number): DisputeStatusName => nameOf(DisputeStatus, s) as DisputeStatusName;

/**
 * Supervision: reports with their triage, disputes with evidence, arbiters, rulings and their outcomes, appeal,
 * execution, compensation and interim freezes; sanctions by subject and cause; severe-action proposals; freezes per
 * subject with their cause. Claimant, respondent and arbiters are parties of a dispute, a named reporter of its report.
 */
export const supervisionHandlers: HandlerMap = {
  ReportFiled: async (ctx, { args }) => {
    const subject = args.subject.toLowerCase();
    const { kind, id } = splitSubject(subject);
    const category = Number(args.category);
    const filer = args.filer.toLowerCase();
    const r: ReportRecord = {
      id: args.reportId.toString(),
      subject,
      subjectKind: kind,
      subjectId: id,
      category,
      categoryName: REPORT_CATEGORIES[category] ?? `Category${category}`,
      confidential: args.confidential,
      reporter: args.confidential ? null : filer,
      relay: args.confidential ? filer : null,
      commitment: args.confidential ? args.commitment : null,
      evidenceHash: args.evidenceHash,
      status: "Received",
      sanctionIds: [],
      filed: ctx.at,
      updated: ctx.at,
    };
    await saveReport(ctx, r, "ReportFiled", filer, null);
    // A confidential report's relay is not its reporter: it gets no party relation (the report names nobody).
    if (!args.confidential) {
      ctx.ws.insert(K.reportsByReporter(filer, args.reportId), r.id);
      ctx.ws.insert(K.party(filer, reportKey(args.reportId)), "reporter");
    }
    await referDocument(ctx, args.evidenceHash, reportKey(args.reportId));
    await bump(ctx, K.stat("reports.category", r.categoryName, monthOf(ctx.at.time)));
  },
  ReportInvestigating: async (ctx, { args }) => {
    const r = await report(ctx, args.reportId);
    await saveReport(ctx, { ...r, status: reportStatus(ReportStatus.Investigating) }, "ReportInvestigating", args.regulator, args.reasonHash);
  },
  ReportSubstantiated: async (ctx, { args }) => {
    const r = await report(ctx, args.reportId);
    const sanctionIds = args.sanctionIds.map((s) => s.toString());
    await saveReport(ctx, { ...r, status: reportStatus(ReportStatus.Substantiated), sanctionIds }, "ReportSubstantiated", args.regulator, args.reasonHash);
  },
  ReportDismissed: async (ctx, { args }) => {
    const r = await report(ctx, args.reportId);
    await saveReport(ctx, { ...r, status: reportStatus(ReportStatus.Dismissed) }, "ReportDismissed", args.regulator, args.reasonHash);
  },

  DisputeOpened: async (ctx, { args }) => {
    const d: DisputeRecord = {
      id: args.disputeId.toString(),
      claimant: args.claimant.toLowerCase(),
      respondent: args.respondent.toLowerCase(),
      claimHash: args.claimHash,
      subjects: args.subjects.map((s) => s.toLowerCase()),
      status: "Open",
      arbiter: null,
      appealArbiter: null,
      proposals: [],
      rulings: [],
      appeal: null,
      execution: null,
      compensations: [],
      frozen: [],
      withdrawal: null,
      evidenceCount: 0,
      opened: ctx.at,
      updated: ctx.at,
    };
    await saveDispute(ctx, d, "DisputeOpened", d.claimant);
    // The first relations of a new dispute: nothing to read.
    for (const [account, relation] of [
      [d.claimant, "claimant"],
      [d.respondent, "respondent"],
    ] as const) {
      ctx.ws.insert(K.party(account, disputeKey(args.disputeId)), relation);
      ctx.ws.insert(K.disputesByParty(account, args.disputeId), relation);
    }
    await referDocument(ctx, args.claimHash, disputeKey(args.disputeId));
    await bump(ctx, K.stat("disputes.opened", "all", monthOf(ctx.at.time)));
  },
  EvidenceSubmitted: async (ctx, { args }) => {
    const d = await dispute(ctx, args.disputeId);
    const e: EvidenceRecord = { disputeId: d.id, party: args.party.toLowerCase(), evidenceHash: args.evidenceHash, uri: args.uri, at: ctx.at };
    ctx.ws.insert(K.disputeEvidence(args.disputeId, ctx.cp), e);
    await saveDispute(ctx, { ...d, evidenceCount: d.evidenceCount + 1 }, "EvidenceSubmitted", e.party);
    await referDocument(ctx, args.evidenceHash, disputeKey(args.disputeId));
  },
  ArbiterProposed: async (ctx, { args }) => {
    const d = await dispute(ctx, args.disputeId);
    const party = args.party.toLowerCase();
    // A party's newer proposal for the same instance replaces its older one (the contract keeps one per party).
    const proposals = [...d.proposals.filter((p) => p.party !== party || p.appeal !== args.appeal), { party, arbiter: args.arbiter.toLowerCase(), appeal: args.appeal, at: ctx.at }];
    await saveDispute(ctx, { ...d, proposals }, "ArbiterProposed", party);
  },
  ArbiterAssigned: async (ctx, { args }) => {
    const d = await dispute(ctx, args.disputeId);
    const arbiter = args.arbiter.toLowerCase();
    const next = args.appeal ? { ...d, appealArbiter: arbiter } : { ...d, arbiter };
    await saveDispute(ctx, { ...next, proposals: d.proposals.filter((p) => p.appeal !== args.appeal) }, args.agreed ? "ArbiterAgreed" : "ArbiterAssigned", args.by);
    await addDisputeParty(ctx, arbiter, args.disputeId, args.appeal ? "appealArbiter" : "arbiter");
  },
  RulingRecorded: async (ctx, { args }) => {
    const d = await dispute(ctx, args.disputeId);
    const outcomes: OutcomeRecord[] = args.outcomes.map((o) => {
      const kind = nameOf(OutcomeKind, o.kind);
      const indexed = kind === "RevokeGrant" || kind === "TransferHolding" || kind === "FreezeSubject";
      const beneficiary = o.beneficiary.toLowerCase();
      return { kind, subjectIndex: Number(o.subject), subject: indexed ? (d.subjects[Number(o.subject)] ?? null) : null, beneficiary: beneficiary === ZERO_ADDRESS ? null : beneficiary, amount: o.amount.toString() };
    });
    const ruling = { appeal: args.appeal, arbiter: args.arbiter.toLowerCase(), rulingHash: args.rulingHash, appealDeadline: Number(args.appealDeadline), outcomes, at: ctx.at };
    await saveDispute(ctx, { ...d, status: args.appeal ? "AppealRuled" : "Ruled", rulings: [...d.rulings, ruling] }, "RulingRecorded", args.arbiter);
    await referDocument(ctx, args.rulingHash, disputeKey(args.disputeId));
  },
  RulingFreezeApplied: async (ctx, { args }) => {
    const d = await dispute(ctx, args.disputeId);
    const subject = args.subject.toLowerCase();
    await saveDispute(ctx, { ...d, frozen: [...d.frozen.filter((s) => s !== subject), subject] }, "RulingFreezeApplied", d.rulings.at(-1)?.arbiter ?? d.claimant);
    freezeRow(ctx, { subject, cause: disputeKey(args.disputeId), by: "Ruling", sanctionId: null, event: "Applied" });
  },
  RulingFreezeLifted: async (ctx, { args }) => {
    const d = await dispute(ctx, args.disputeId);
    const subject = args.subject.toLowerCase();
    await saveDispute(ctx, { ...d, frozen: d.frozen.filter((s) => s !== subject) }, "RulingFreezeLifted", d.rulings.at(-1)?.arbiter ?? d.claimant);
    freezeRow(ctx, { subject, cause: disputeKey(args.disputeId), by: "Ruling", sanctionId: null, event: "Lifted" });
  },
  AppealFiled: async (ctx, { args }) => {
    const d = await dispute(ctx, args.disputeId);
    const appeal = { appellant: args.appellant.toLowerCase(), groundsHash: args.groundsHash, at: ctx.at };
    await saveDispute(ctx, { ...d, status: disputeStatus(DisputeStatus.Appealed), appeal }, "AppealFiled", args.appellant);
    await referDocument(ctx, args.groundsHash, disputeKey(args.disputeId));
  },
  CompensationRecorded: async (ctx, { args }) => {
    // Emitted by the execution, after RulingExecuted.
    const d = await dispute(ctx, args.disputeId);
    const c = { payer: args.payer.toLowerCase(), beneficiary: args.beneficiary.toLowerCase(), amount: args.amount.toString(), at: ctx.at };
    await saveDispute(ctx, { ...d, compensations: [...d.compensations, c] }, "CompensationRecorded", c.payer);
  },
  RulingExecuted: async (ctx, { args }) => {
    const d = await dispute(ctx, args.disputeId);
    const execution = { by: args.by.toLowerCase(), outcomesHash: args.outcomesHash, at: ctx.at };
    await saveDispute(ctx, { ...d, status: disputeStatus(DisputeStatus.Executed), execution }, "RulingExecuted", args.by);
  },
  DisputeWithdrawn: async (ctx, { args }) => {
    const d = await dispute(ctx, args.disputeId);
    const withdrawal = { by: args.claimant.toLowerCase(), reasonHash: args.reasonHash, at: ctx.at };
    await saveDispute(ctx, { ...d, status: disputeStatus(DisputeStatus.Withdrawn), withdrawal }, "DisputeWithdrawn", args.claimant);
    await referDocument(ctx, args.reasonHash, disputeKey(args.disputeId));
  },

  SanctionApplied: async (ctx, { args }) => {
    const subject = args.subject.toLowerCase();
    const cause = args.cause.toLowerCase();
    const s = splitSubject(subject);
    const c = splitSubject(cause);
    const r: SanctionRecord = {
      id: args.sanctionId.toString(),
      subject,
      subjectKind: s.kind,
      subjectId: s.id,
      cause,
      causeKind: c.kind,
      causeId: c.id,
      kind: nameOf(SanctionKind, args.kind) as SanctionKindName,
      by: args.by.toLowerCase(),
      reasonHash: args.reasonHash,
      lifted: null,
      applied: ctx.at,
      updated: ctx.at,
    };
    ctx.ws.insert(K.sanction(args.sanctionId), r);
    ctx.ws.insert(K.sanctionsBySubject(subject, args.sanctionId), r.id);
    ctx.ws.insert(K.sanctionsByCause(cause, args.sanctionId), r.id);
    if (r.kind.startsWith("Freeze")) freezeRow(ctx, { subject, cause, by: "Sanction", sanctionId: r.id, event: "Applied" });
    await bump(ctx, K.stat("sanctions.kind", r.kind, monthOf(ctx.at.time)));
  },
  SanctionLifted: async (ctx, { args }) => {
    const s = await sanction(ctx, args.sanctionId);
    await ctx.ws.put(K.sanction(args.sanctionId), { ...s, lifted: { by: args.by.toLowerCase(), reasonHash: args.reasonHash, at: ctx.at }, updated: ctx.at });
    if (s.kind.startsWith("Freeze")) freezeRow(ctx, { subject: s.subject, cause: s.cause, by: "Sanction", sanctionId: s.id, event: "Lifted" });
  },

  SevereProposed: async (ctx, { args }) => {
    const p: SevereProposalRecord = {
      id: args.proposalId.toString(),
      kind: nameOf(SevereKind, args.kind) as SevereProposalRecord["kind"],
      status: "Pending",
      cause: args.cause.toLowerCase(),
      proposer: args.proposer.toLowerCase(),
      account: args.account.toLowerCase(),
      targetId: args.targetId.toString(),
      threshold: Number(args.threshold),
      approvers: [args.approver.toLowerCase()],
      reasonHash: args.reasonHash,
      execution: null,
      cancellation: null,
      proposed: ctx.at,
      updated: ctx.at,
    };
    ctx.ws.insert(K.severe(args.proposalId), p);
  },
  SevereApproved: async (ctx, { args }) => {
    const p = await proposal(ctx, args.proposalId);
    await ctx.ws.put(K.severe(args.proposalId), { ...p, approvers: [...p.approvers, args.approver.toLowerCase()], updated: ctx.at });
  },
  SevereExecuted: async (ctx, { args }) => {
    const p = await proposal(ctx, args.proposalId);
    await ctx.ws.put(K.severe(args.proposalId), { ...p, status: "Executed", execution: { by: args.by.toLowerCase(), at: ctx.at }, updated: ctx.at });
  },
  SevereCancelled: async (ctx, { args }) => {
    const p = await proposal(ctx, args.proposalId);
    await ctx.ws.put(K.severe(args.proposalId), { ...p, status: "Cancelled", cancellation: { by: args.by.toLowerCase(), reasonHash: args.reasonHash, at: ctx.at }, updated: ctx.at });
  },
};
