/**
 * `drl dispute …`: disputes between members (数据争议处置) of DisputeRegistry: open, evidence from each party, the
 * arbiter (proposed by both parties alike, or assigned by governance), the ruling and its outcomes, one appeal ruled by
 * another arbiter, execution of the final ruling, withdrawal, and `dispute show`.
 *
 * A ruling's outcomes name subjects by their place in the dispute's subject list; the CLI takes the subjects themselves
 * (`--revoke-grant 7`, `--freeze resource:3`) and finds their place. `execute` reads the final ruling's outcomes from
 * its RulingRecorded event, since the contract keeps only their hash.
 */
import { ZeroAddress } from "ethers";
import { DisputeStatus, OutcomeKind, SubjectKind, nameOf } from "../domain/enums.js";
import { subjectKey } from "../domain/trace.js";
import { formatDuration, formatTime, UsageError } from "./errors.js";
import { hashArg, hashOptions, hashUsage, parseAddress, parseDuration, parseId, parseUint, positionals } from "./args.js";
import { verbOf } from "./admission.js";
import { eventOf, reportWrite, type CommandSpec, type Context, type Values } from "./context.js";
import { subjectEvents } from "./logs.js";
import { table } from "./output.js";
import { describeSubject, listOf, parseSubject, REASON_USAGE, SUBJECT_USAGE } from "./report.js";
import { parseTransfer } from "./severe.js";

/** One outcome as the contract takes it. */
export interface Outcome {
  kind: number;
  subject: number;
  beneficiary: string;
  amount: bigint;
}

interface DisputeState {
  claimant: string;
  openedAt: bigint;
  status: bigint;
  subjectCount: bigint;
  frozenMask: bigint;
  respondent: string;
  appealDeadline: bigint;
  arbiter: string;
  appealArbiter: string;
  rulingHash: string;
  outcomesHash: string;
}

async function disputeState(ctx: Context, id: bigint): Promise<DisputeState> {
  const [d] = await ctx.view("DisputeRegistry", "getDispute", [id]);
  return d as unknown as DisputeState;
}

async function subjectsOf(ctx: Context, id: bigint): Promise<string[]> {
  const [s] = await ctx.view("DisputeRegistry", "subjectsOf", [id]);
  return [...(s as unknown as string[])].map((x) => x.toLowerCase());
}

const many = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : v === undefined ? [] : [v as string]);

/** `TO:AMOUNT` of a compensation. */
function parseCompensation(v: string): { to: string; amount: bigint } {
  const m = /^(0x[0-9a-fA-F]{40}):(.+)$/.exec(v.trim());
  if (!m) throw new UsageError(`--compensate must be TO:AMOUNT (the party's address and a whole amount), got ${JSON.stringify(v)}`);
  return { to: parseAddress(m[1], "--compensate (party)"), amount: parseUint(m[2], "--compensate (amount)", 128, 1n) };
}

/** An outcome as given on the command line: its subject as a key, not yet as its place in the dispute's list. */
export interface OutcomeSpec {
  kind: number;
  subject: string | null;
  beneficiary: string;
  amount: bigint;
  option: string;
}

/**
 * The outcomes the options order, in a fixed order (dismiss, revocations, transfers, freezes, compensations). Checked
 * before anything is read from the chain, so a malformed ruling is a usage error.
 */
export function parseOutcomes(values: Values): OutcomeSpec[] {
  const out: OutcomeSpec[] = [];
  const none = { beneficiary: ZeroAddress, amount: 0n };
  if (values.dismiss === true) out.push({ kind: OutcomeKind.Dismiss, subject: null, ...none, option: "--dismiss" });
  for (const g of many(values["revoke-grant"])) out.push({ kind: OutcomeKind.RevokeGrant, subject: subjectKey(SubjectKind.Grant, parseId(g, "--revoke-grant")), ...none, option: "--revoke-grant" });
  for (const t of many(values.transfer)) {
    const { resourceId, to } = parseTransfer(t, "--transfer");
    out.push({ kind: OutcomeKind.TransferHolding, subject: subjectKey(SubjectKind.Resource, resourceId), beneficiary: to, amount: 0n, option: "--transfer" });
  }
  for (const f of many(values.freeze)) out.push({ kind: OutcomeKind.FreezeSubject, subject: parseSubject(f, "--freeze"), ...none, option: "--freeze" });
  for (const c of many(values.compensate)) {
    const { to, amount } = parseCompensation(c);
    out.push({ kind: OutcomeKind.Compensation, subject: null, beneficiary: to, amount, option: "--compensate" });
  }
  if (out.length === 0) throw new UsageError("a ruling needs outcomes: --dismiss, or any of --revoke-grant ID, --transfer RESOURCE:TO, --freeze SUBJECT, --compensate TO:AMOUNT (repeatable)");
  if (values.dismiss === true && out.length > 1) throw new UsageError("--dismiss is the whole ruling: give it alone");
  return out;
}

/** The outcomes with each subject replaced by its place in the dispute's subject list. */
export function resolveOutcomes(specs: readonly OutcomeSpec[], subjects: readonly string[]): Outcome[] {
  return specs.map(({ kind, subject, beneficiary, amount, option }) => {
    if (subject === null) return { kind, subject: 0, beneficiary, amount };
    const i = subjects.indexOf(subject.toLowerCase());
    if (i < 0) throw new UsageError(`${option}: ${describeSubject(subject)} is not one of the dispute's subjects (${subjects.map(describeSubject).join(", ")})`);
    return { kind, subject: i, beneficiary, amount };
  });
}

/** An outcome in words. */
export function outcomeText(o: Outcome, subjects: readonly string[]): string {
  const subject = subjects[o.subject] === undefined ? `subject #${o.subject}` : describeSubject(subjects[o.subject]!);
  switch (o.kind) {
    case OutcomeKind.Dismiss:
      return "dismiss the claim";
    case OutcomeKind.RevokeGrant:
      return `revoke ${subject}`;
    case OutcomeKind.TransferHolding:
      return `transfer the holding right of ${subject} to ${o.beneficiary}`;
    case OutcomeKind.FreezeSubject:
      return `freeze ${subject}`;
    default:
      return `compensate ${o.beneficiary} with ${o.amount}`;
  }
}

/** An event's outcome list as Outcomes. */
function outcomesOf(v: unknown): Outcome[] {
  return listOf(v).map((x) => {
    const o = x as { kind: bigint; subject: bigint; beneficiary: string; amount: bigint };
    return { kind: Number(o.kind), subject: Number(o.subject), beneficiary: o.beneficiary, amount: BigInt(o.amount) };
  });
}

const outcomeJson = (o: Outcome, subjects: readonly string[]) => ({
  kind: nameOf(OutcomeKind, o.kind),
  subject: o.kind === OutcomeKind.Dismiss || o.kind === OutcomeKind.Compensation ? null : (subjects[o.subject] ?? null),
  beneficiary: o.beneficiary === ZeroAddress ? null : o.beneficiary,
  amount: o.amount,
  text: outcomeText(o, subjects),
});

const DISPUTE_EVENTS = [
  "DisputeOpened",
  "EvidenceSubmitted",
  "ArbiterProposed",
  "ArbiterAssigned",
  "RulingRecorded",
  "AppealFiled",
  "RulingFreezeApplied",
  "RulingFreezeLifted",
  "CompensationRecorded",
  "RulingExecuted",
  "DisputeWithdrawn",
];

async function showDispute(ctx: Context, id: bigint): Promise<void> {
  const d = await disputeState(ctx, id);
  const subjects = await subjectsOf(ctx, id);
  const [[final], events] = await Promise.all([ctx.view("DisputeRegistry", "isFinal", [id]), subjectEvents(ctx, "DisputeRegistry", DISPUTE_EVENTS, id)]);
  const opened = events.find((e) => e.name === "DisputeOpened");
  const rulings = events.filter((e) => e.name === "RulingRecorded").map((e) => ({
    appeal: e.args.appeal as boolean,
    arbiter: e.args.arbiter as string,
    rulingHash: e.args.rulingHash as string,
    appealDeadline: Number(e.args.appealDeadline as bigint),
    outcomes: outcomesOf(e.args.outcomes).map((o) => outcomeJson(o, subjects)),
    block: e.block,
  }));
  const evidence = events.filter((e) => e.name === "EvidenceSubmitted").map((e) => ({ party: e.args.party as string, evidenceHash: e.args.evidenceHash as string, uri: e.args.uri as string, block: e.block }));
  const appeal = events.find((e) => e.name === "AppealFiled");
  const compensations = events.filter((e) => e.name === "CompensationRecorded").map((e) => ({ payer: e.args.payer as string, beneficiary: e.args.beneficiary as string, amount: e.args.amount as bigint }));
  const status = nameOf(DisputeStatus, d.status);
  const data = {
    disputeId: id,
    status,
    final: final as boolean,
    claimant: d.claimant,
    respondent: d.respondent,
    openedAt: Number(d.openedAt),
    claimHash: (opened?.args.claimHash as string | undefined) ?? null,
    subjects: subjects.map((k) => ({ key: k, name: describeSubject(k) })),
    arbiter: d.arbiter === ZeroAddress ? null : d.arbiter,
    appealArbiter: d.appealArbiter === ZeroAddress ? null : d.appealArbiter,
    appealDeadline: d.appealDeadline === 0n ? null : Number(d.appealDeadline),
    appeal: appeal ? { appellant: appeal.args.appellant as string, groundsHash: appeal.args.groundsHash as string, block: appeal.block } : null,
    evidence,
    rulings,
    frozen: subjects.filter((_, i) => (Number(d.frozenMask) >> i) & 1).map(describeSubject),
    compensations,
    history: events.map((e) => ({ event: e.name, block: e.block, tx: e.tx })),
  };
  ctx.out.result(data, [
    ...table([
      ["dispute", id],
      ["status", `${status}${final ? " (final)" : d.status === BigInt(DisputeStatus.Ruled) ? ` (appeal until ${formatTime(d.appealDeadline)})` : ""}`],
      ["claimant", d.claimant],
      ["respondent", d.respondent],
      ["opened", formatTime(d.openedAt)],
      ["subjects", data.subjects.map((s) => s.name).join(", ")],
      ["arbiter", `${data.arbiter ?? "(none yet)"}${data.appealArbiter ? `; on appeal ${data.appealArbiter}` : ""}`],
      ["evidence", evidence.length ? evidence.map((e) => `${e.party} ${e.uri}`).join("; ") : "(none)"],
      ["frozen by ruling", data.frozen.length ? data.frozen.join(", ") : "(none)"],
    ]),
    ...rulings.flatMap((r) => [`${r.appeal ? "appeal ruling" : "ruling"} by ${r.arbiter} (block ${r.block}):`, ...r.outcomes.map((o) => `   ${o.text}`)]),
    ...(appeal ? [`appealed by ${data.appeal!.appellant}`] : []),
    ...compensations.map((c) => `${c.beneficiary} is owed ${c.amount} by ${c.payer} (compensation)`),
  ]);
}

/** `dispute propose-arbiter|assign-arbiter ID ARBITER`. */
function arbiterCommand(name: "propose-arbiter" | "assign-arbiter", fn: string, summary: string): CommandSpec {
  return {
    group: "dispute",
    name,
    usage: "ID ARBITER",
    summary,
    options: {},
    async run(ctx, { positionals: p }) {
      const [i, a] = positionals(p, ["ID", "ARBITER"]);
      const disputeId = parseId(i, "ID");
      const arbiter = parseAddress(a, "ARBITER");
      const w = await ctx.write("DisputeRegistry", fn, [disputeId, arbiter]);
      const assigned = w.events.find((e) => e.name === "ArbiterAssigned");
      const appeal = Boolean((assigned ?? eventOf(w.events, "ArbiterProposed")).args.appeal);
      const instance = appeal ? "the appeal" : "the first instance";
      const summaryLine = assigned
        ? `${arbiter} is the arbiter of dispute ${disputeId} for ${instance}${assigned.args.agreed ? " (agreed by both parties)" : ""}`
        : `proposed ${arbiter} as arbiter of dispute ${disputeId} for ${instance}; assigned once the other party proposes the same`;
      reportWrite(ctx, `dispute ${name}`, w, summaryLine, { disputeId, arbiter, appeal, assigned: Boolean(assigned) });
    },
  };
}

export const DISPUTE_COMMANDS: CommandSpec[] = [
  {
    group: "dispute",
    name: "open",
    usage: `--respondent ADDRESS --subject SUBJECT [--subject SUBJECT…] ${hashUsage("claim")}`,
    summary: "open a dispute against another member over 1 to 8 subjects (any member)",
    details: [`SUBJECT: ${SUBJECT_USAGE}; repeat --subject or separate with commas`],
    options: { respondent: { type: "string" }, subject: { type: "string", multiple: true }, ...hashOptions("claim") },
    async run(ctx, { values, positionals: p }) {
      positionals(p, []);
      const respondent = parseAddress(values.respondent as string | undefined, "--respondent");
      const subjects = many(values.subject).flatMap((s) => s.split(",")).map((s) => parseSubject(s.trim(), "--subject"));
      if (subjects.length === 0) throw new UsageError(`give the dispute's subjects: --subject ${SUBJECT_USAGE}`);
      const claim = await hashArg(values, "claim");
      const w = await ctx.write("DisputeRegistry", "open", [respondent, subjects, claim]);
      const disputeId = eventOf(w.events, "DisputeOpened").args.disputeId as bigint;
      reportWrite(ctx, "dispute open", w, `opened dispute ${disputeId} against ${respondent} over ${subjects.map(describeSubject).join(", ")}`, { disputeId, respondent, subjects, claimHash: claim });
    },
  },
  {
    group: "dispute",
    name: "evidence",
    usage: `ID ${hashUsage("evidence")} --uri URI`,
    summary: "submit evidence while the dispute is open or under appeal; a hash is accepted once across all disputes (a party)",
    options: { ...hashOptions("evidence"), uri: { type: "string" } },
    async run(ctx, { values, positionals: p }) {
      const [i] = positionals(p, ["ID"]);
      const disputeId = parseId(i, "ID");
      const evidence = await hashArg(values, "evidence");
      const uri = values.uri as string | undefined;
      if (uri === undefined || uri === "") throw new UsageError("--uri URI is required (where the evidence can be fetched)");
      const w = await ctx.write("DisputeRegistry", "submitEvidence", [disputeId, evidence, uri]);
      eventOf(w.events, "EvidenceSubmitted");
      reportWrite(ctx, "dispute evidence", w, `submitted evidence ${evidence} to dispute ${disputeId}`, { disputeId, evidenceHash: evidence, uri });
    },
  },
  arbiterCommand("propose-arbiter", "agreeArbiter", "propose an arbiter for the current instance; assigned when both parties propose the same (a party)"),
  arbiterCommand("assign-arbiter", "assignArbiter", "assign the arbiter of the current instance (first or appeal) before it is ruled (governance)"),
  {
    group: "dispute",
    name: "rule",
    usage: `ID ${hashUsage("ruling")} (--dismiss | --revoke-grant ID | --transfer RESOURCE:TO | --freeze SUBJECT | --compensate TO:AMOUNT)…`,
    summary: "record the ruling of the current instance (its arbiter); outcomes other than --dismiss are repeatable and combine",
    details: [
      "subjects must be among the dispute's; freezes apply at once (interim during the appeal window), everything else when",
      "  the final ruling is executed (drl dispute execute); an appeal ruling lifts the first ruling's freezes it does not repeat",
    ],
    options: {
      ...hashOptions("ruling"),
      dismiss: { type: "boolean" },
      "revoke-grant": { type: "string", multiple: true },
      transfer: { type: "string", multiple: true },
      freeze: { type: "string", multiple: true },
      compensate: { type: "string", multiple: true },
    },
    async run(ctx, { values, positionals: p }) {
      const [i] = positionals(p, ["ID"]);
      const disputeId = parseId(i, "ID");
      const ruling = await hashArg(values, "ruling");
      const specs = parseOutcomes(values);
      const subjects = await subjectsOf(ctx, disputeId);
      const outcomes = resolveOutcomes(specs, subjects);
      const w = await ctx.write("DisputeRegistry", "rule", [disputeId, ruling, outcomes]);
      const e = eventOf(w.events, "RulingRecorded");
      const appeal = e.args.appeal as boolean;
      const deadline = e.args.appealDeadline as bigint;
      const frozen = w.events.filter((x) => x.name === "RulingFreezeApplied").map((x) => x.args.subject as string);
      const lifted = w.events.filter((x) => x.name === "RulingFreezeLifted").map((x) => x.args.subject as string);
      reportWrite(
        ctx,
        "dispute rule",
        w,
        [
          `recorded the ${appeal ? "appeal ruling (final)" : `ruling of dispute ${disputeId}; appeal until ${formatTime(deadline)}`}${appeal ? ` of dispute ${disputeId}` : ""}:`,
          ...outcomes.map((o) => `   ${outcomeText(o, subjects)}`),
          ...(frozen.length ? [`   frozen now: ${frozen.map(describeSubject).join(", ")}`] : []),
          ...(lifted.length ? [`   interim freezes lifted: ${lifted.map(describeSubject).join(", ")}`] : []),
        ].join("\n"),
        { disputeId, appeal, rulingHash: ruling, appealDeadline: appeal ? null : Number(deadline), outcomes: outcomes.map((o) => outcomeJson(o, subjects)), frozen, lifted },
      );
    },
  },
  {
    group: "dispute",
    name: "appeal",
    usage: `ID ${hashUsage("grounds")}`,
    summary: "appeal the first ruling before its deadline, once per dispute (a party)",
    options: hashOptions("grounds"),
    async run(ctx, { values, positionals: p }) {
      const [i] = positionals(p, ["ID"]);
      const disputeId = parseId(i, "ID");
      const grounds = await hashArg(values, "grounds");
      const w = await ctx.write("DisputeRegistry", "appeal", [disputeId, grounds]);
      eventOf(w.events, "AppealFiled");
      reportWrite(ctx, "dispute appeal", w, `appealed the ruling of dispute ${disputeId}; an appeal arbiter is assigned next (assign-arbiter, or propose-arbiter by both parties)`, { disputeId, groundsHash: grounds });
    },
  },
  {
    group: "dispute",
    name: "execute",
    usage: "ID",
    summary: "carry out the final ruling's outcomes at once: grant revocations, holding transfers (as severe-action proposals), compensation (any member)",
    options: {},
    async run(ctx, { positionals: p }) {
      const [i] = positionals(p, ["ID"]);
      const disputeId = parseId(i, "ID");
      // The contract keeps the outcomes' hash only: the latest ruling's event holds the outcomes themselves.
      const rulings = await subjectEvents(ctx, "DisputeRegistry", ["RulingRecorded"], disputeId);
      const last = rulings.at(-1);
      if (!last) {
        // No ruling yet: let the contract say why (unknown dispute, or not ruled).
        await ctx.write("DisputeRegistry", "execute", [disputeId, []]);
        throw new UsageError(`dispute ${disputeId} has no ruling`);
      }
      const subjects = await subjectsOf(ctx, disputeId);
      const outcomes = outcomesOf(last.args.outcomes);
      const w = await ctx.write("DisputeRegistry", "execute", [disputeId, outcomes]);
      eventOf(w.events, "RulingExecuted");
      const compensations = w.events.filter((e) => e.name === "CompensationRecorded").map((e) => ({ payer: e.args.payer as string, beneficiary: e.args.beneficiary as string, amount: e.args.amount as bigint }));
      const proposals = w.events.filter((e) => e.name === "SevereProposed").map((e) => e.args.proposalId as bigint);
      const revoked = w.events.filter((e) => e.name === "GrantRevoked").map((e) => e.args.grantId as bigint);
      reportWrite(
        ctx,
        "dispute execute",
        w,
        [
          `executed the final ruling of dispute ${disputeId}:`,
          ...outcomes.map((o) => `   ${outcomeText(o, subjects)}`),
          ...proposals.map((id) => `   holding transfer: severe-action proposal ${id} (drl severe show ${id})`),
          ...compensations.map((c) => `   ${c.beneficiary} is owed ${c.amount} by ${c.payer}`),
        ].join("\n"),
        { disputeId, outcomes: outcomes.map((o) => outcomeJson(o, subjects)), revokedGrantIds: revoked, severeProposalIds: proposals, compensations },
      );
    },
  },
  {
    group: "dispute",
    name: "withdraw",
    usage: `ID ${REASON_USAGE}`,
    summary: "withdraw an open dispute before any ruling; it stays on record (the claimant)",
    options: hashOptions("reason"),
    async run(ctx, { values, positionals: p }) {
      const [i] = positionals(p, ["ID"]);
      const disputeId = parseId(i, "ID");
      const reason = await hashArg(values, "reason");
      const w = await ctx.write("DisputeRegistry", "withdraw", [disputeId, reason]);
      eventOf(w.events, "DisputeWithdrawn");
      reportWrite(ctx, "dispute withdraw", w, `withdrew dispute ${disputeId}`, { disputeId, reasonHash: reason });
    },
  },
  {
    group: "dispute",
    name: "appeal-window",
    usage: "set DURATION",
    summary: "set the appeal window of rulings recorded from now on, e.g. 7d (governance; at most 180 days)",
    options: {},
    async run(ctx, { positionals: p }) {
      verbOf(p, ["set"], "set DURATION");
      const [, v] = positionals(p, ["set", "DURATION"]);
      const window = parseDuration(v, "DURATION");
      if (window === 0n || window >= 1n << 40n) throw new UsageError("DURATION must be above zero and fit 40 bits of seconds");
      const w = await ctx.write("DisputeRegistry", "setAppealWindow", [window]);
      eventOf(w.events, "AppealWindowSet");
      reportWrite(ctx, "dispute appeal-window set", w, `rulings recorded from now on may be appealed for ${formatDuration(window)}`, { appealWindow: window });
    },
  },
  {
    group: "dispute",
    name: "show",
    usage: "ID",
    summary: "a dispute: parties, subjects, status and whether final, arbiters, evidence, rulings and their outcomes, appeal, compensation",
    options: {},
    async run(ctx, { positionals: p }) {
      const [i] = positionals(p, ["ID"]);
      await showDispute(ctx, parseId(i, "ID"));
    },
  },
];
