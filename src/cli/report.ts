/**
 * `drl report …`: violation reports (违法举报) and privacy complaints (个人隐私救济) of ReportRegistry: filing (in the open,
 * or confidentially through a relay carrying a commitment to the reporter), a regulator's triage (investigate,
 * substantiate naming the sanctions applied, dismiss) and `report show`. Also the subject and cause arguments the other
 * supervision groups share: a subject is `kind:id` (`resource:3`, `member:0x…`) or its 32-byte key.
 */
import { AbiCoder, isHexString, keccak256, toUtf8Bytes } from "ethers";
import { ReportStatus, SubjectKind, nameOf } from "../domain/enums.js";
import { subjectKey } from "../domain/trace.js";
import { formatTime, UsageError } from "./errors.js";
import { hashArg, hashOptions, hashUsage, parseAddress, parseEnum, parseHash, parseId, positionals } from "./args.js";
import { eventOf, reportWrite, type CommandSpec, type Context } from "./context.js";
import { subjectEvents } from "./logs.js";
import { table } from "./output.js";

// ---------------------------------------------------------------------------------------------------------------
// Subjects and causes (shared by report, dispute, sanction and severe)

/** The `kind:` words of a subject argument. */
const SUBJECT_WORDS: Record<string, number> = {
  member: SubjectKind.Member,
  resource: SubjectKind.Resource,
  grant: SubjectKind.Grant,
  product: SubjectKind.Product,
  trade: SubjectKind.Trade,
  authorization: SubjectKind.OperationAuthorization,
  operation: SubjectKind.OperationAuthorization,
  consent: SubjectKind.Consent,
  report: SubjectKind.Report,
  dispute: SubjectKind.Dispute,
  listing: SubjectKind.Listing,
  rating: SubjectKind.Rating,
};
export const SUBJECT_USAGE = "kind:id (resource:3, grant:7, product:2, consent:4, authorization:1, trade:5, member:0x…) or a 32-byte subject key";

/** A subject as its key (contracts/libraries/SubjectKeys.sol): `kind:id`, `member:0x…`, or the key itself. */
export function parseSubject(v: string | undefined, what: string): string {
  if (v === undefined) throw new UsageError(`${what} is required: ${SUBJECT_USAGE}`);
  if (isHexString(v, 32)) return v.toLowerCase();
  const m = /^([a-z-]+):(.+)$/i.exec(v.trim());
  const kind = m ? SUBJECT_WORDS[m[1]!.toLowerCase()] : undefined;
  if (!m || kind === undefined) throw new UsageError(`${what} must be ${SUBJECT_USAGE}; got ${JSON.stringify(v)}`);
  if (kind === SubjectKind.Member) return subjectKey(kind, parseAddress(m[2], `${what} (member)`));
  return subjectKey(kind, parseId(m[2], `${what} (${m[1]!.toLowerCase()} id)`));
}

/** A subject key as words: `resource 3`, `member 0x…`. */
export function describeSubject(key: string): string {
  const n = BigInt(key);
  const kind = Number(n >> 248n);
  const id = n & ((1n << 248n) - 1n);
  const word = Object.entries(SUBJECT_WORDS).find(([, k]) => k === kind)?.[0];
  if (word === undefined) return key;
  if (kind === SubjectKind.Member) return `member ${parseAddress("0x" + id.toString(16).padStart(40, "0"), "member")}`;
  return `${word} ${id}`;
}

/** The cause of a sanction or severe action: `report:ID` or `dispute:ID` (or its key). */
export function parseCause(v: string | undefined): string {
  if (v === undefined) throw new UsageError("--cause is required: report:ID or dispute:ID");
  const key = parseSubject(v, "--cause");
  const kind = Number(BigInt(key) >> 248n);
  if (kind !== SubjectKind.Report && kind !== SubjectKind.Dispute) throw new UsageError(`--cause must be a report or a dispute (report:ID or dispute:ID), got ${JSON.stringify(v)}`);
  return key;
}

/** A comma-separated list of ids (`1,4`). */
export function parseIdList(v: string | undefined, what: string): bigint[] {
  if (v === undefined || v.trim() === "") throw new UsageError(`${what} is required (ids like 1,4)`);
  return v.split(",").map((s) => parseId(s.trim(), what));
}

/** An event's array argument as an array. */
export const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : v && typeof v === "object" ? Object.values(v) : []);

/** A reason hash, required (the supervision contracts refuse a zero one). */
export const REASON_USAGE = hashUsage("reason");

// ---------------------------------------------------------------------------------------------------------------
// Reports

/** Category codes of contracts/libraries/SupervisionTypes.sol ReportCategories. */
export const ReportCategory = {
  PrivacyComplaint: 1,
  UnauthorizedProcessing: 2,
  IllegalTrading: 3,
  FalseRegistration: 4,
  PricingViolation: 5,
  DataLeak: 6,
  Other: 7,
} as const;

/** The commitment a confidential report carries: keccak256(abi.encode(reporter, salt)). */
export function reporterCommitment(reporter: string, salt: string): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["address", "bytes32"], [reporter, salt]));
}

/** `--salt`: a 32-byte value as given, or keccak256 of the text. */
const saltOf = (v: string): string => (isHexString(v, 32) ? v.toLowerCase() : keccak256(toUtf8Bytes(v)));

interface ReportState {
  filer: string;
  filedAt: bigint;
  status: bigint;
  category: bigint;
  confidential: boolean;
  subject: string;
}

async function showReport(ctx: Context, id: bigint): Promise<void> {
  const [r] = await ctx.view("ReportRegistry", "getReport", [id]);
  const s = r as unknown as ReportState;
  const events = await subjectEvents(ctx, "ReportRegistry", ["ReportFiled", "ReportInvestigating", "ReportSubstantiated", "ReportDismissed"], id);
  const filed = events.find((e) => e.name === "ReportFiled");
  const substantiated = events.find((e) => e.name === "ReportSubstantiated");
  const history = events.map((e) => ({ event: e.name, by: (e.args.regulator ?? e.args.filer) as string, reasonHash: (e.args.reasonHash as string | undefined) ?? null, block: e.block, tx: e.tx }));
  const sanctionIds = substantiated ? listOf(substantiated.args.sanctionIds).map((x) => BigInt(x as bigint)) : [];
  const data = {
    reportId: id,
    subject: s.subject,
    subjectName: describeSubject(s.subject),
    category: nameOf(ReportCategory, s.category),
    status: nameOf(ReportStatus, s.status),
    filer: s.filer,
    filedAt: Number(s.filedAt),
    confidential: s.confidential,
    commitment: s.confidential ? ((filed?.args.commitment as string | undefined) ?? null) : null,
    evidenceHash: (filed?.args.evidenceHash as string | undefined) ?? null,
    sanctionIds,
    history,
  };
  ctx.out.result(data, table([
    ["report", id],
    ["subject", `${data.subjectName} (${s.subject})`],
    ["category", data.category],
    ["status", data.status],
    [s.confidential ? "relayed by" : "filed by", `${s.filer} at ${formatTime(s.filedAt)}`],
    ...(s.confidential ? [["commitment", data.commitment] as const] : []),
    ["evidence", data.evidenceHash],
    ...(sanctionIds.length ? [["sanctions", sanctionIds.join(", ")] as const] : []),
    ["history", history.map((h) => `${h.event} by ${h.by} (block ${h.block})`).join("; ")],
  ]));
}

const CATEGORY_USAGE = `--category ${Object.keys(ReportCategory).map((k) => k.replace(/[A-Z]/g, (c, i: number) => (i ? "-" : "") + c.toLowerCase())).join("|")}`;

/** A triage step: `report investigate|dismiss ID --reason …`. */
function triageCommand(name: "investigate" | "dismiss", summary: string, event: string, done: string): CommandSpec {
  return {
    group: "report",
    name,
    usage: `ID ${REASON_USAGE}`,
    summary,
    options: hashOptions("reason"),
    async run(ctx, { values, positionals: p }) {
      const [i] = positionals(p, ["ID"]);
      const reportId = parseId(i, "ID");
      const reason = await hashArg(values, "reason");
      const w = await ctx.write("ReportRegistry", name, [reportId, reason]);
      eventOf(w.events, event);
      reportWrite(ctx, `report ${name}`, w, `${done} report ${reportId}`, { reportId, reasonHash: reason });
    },
  };
}

export const REPORT_COMMANDS: CommandSpec[] = [
  {
    group: "report",
    name: "file",
    usage: `SUBJECT ${CATEGORY_USAGE} ${hashUsage("evidence")}`,
    summary: "report a violation, or complain about personal data (privacy-complaint: a personal-data resource or a consent record) (any member)",
    details: [`SUBJECT: ${SUBJECT_USAGE}`],
    options: { category: { type: "string" }, ...hashOptions("evidence") },
    async run(ctx, { values, positionals: p }) {
      const [s] = positionals(p, ["SUBJECT"]);
      const subject = parseSubject(s, "SUBJECT");
      const category = parseEnum(ReportCategory, values.category as string | undefined, "--category");
      const evidence = await hashArg(values, "evidence");
      const w = await ctx.write("ReportRegistry", "file", [subject, category, evidence]);
      const reportId = eventOf(w.events, "ReportFiled").args.reportId as bigint;
      reportWrite(ctx, "report file", w, `filed report ${reportId} against ${describeSubject(subject)} (${nameOf(ReportCategory, category)})`, {
        reportId,
        subject,
        category: nameOf(ReportCategory, category),
        evidenceHash: evidence,
      });
    },
  },
  {
    group: "report",
    name: "file-confidential",
    usage: `SUBJECT ${CATEGORY_USAGE} ${hashUsage("evidence")} (--reporter ADDRESS --salt SALT | --commitment 0x…)`,
    summary: "relay a confidential report: the ledger keeps a commitment to the reporter, not the reporter (regulator or operator)",
    details: [
      "the commitment is keccak256(abi.encode(reporter, salt)); --salt is 32 bytes (0x…) or a text whose keccak256 is used.",
      "  Keep the reporter and salt: they are what later shows who reported. --commitment gives a commitment made elsewhere",
    ],
    options: { category: { type: "string" }, ...hashOptions("evidence"), reporter: { type: "string" }, salt: { type: "string" }, commitment: { type: "string" } },
    async run(ctx, { values, positionals: p }) {
      const [s] = positionals(p, ["SUBJECT"]);
      const subject = parseSubject(s, "SUBJECT");
      const category = parseEnum(ReportCategory, values.category as string | undefined, "--category");
      const evidence = await hashArg(values, "evidence");
      const given = values.commitment as string | undefined;
      const reporterArg = values.reporter as string | undefined;
      const saltArg = values.salt as string | undefined;
      if (given !== undefined && (reporterArg !== undefined || saltArg !== undefined)) throw new UsageError("give either --commitment, or --reporter and --salt, not both");
      if (given === undefined && (reporterArg === undefined || saltArg === undefined)) throw new UsageError("give --reporter ADDRESS and --salt SALT (the commitment is made from them), or --commitment 0x…");
      const commitment = given !== undefined ? parseHash(given, "--commitment") : reporterCommitment(parseAddress(reporterArg, "--reporter"), saltOf(saltArg!));
      const w = await ctx.write("ReportRegistry", "fileConfidential", [subject, category, evidence, commitment]);
      const reportId = eventOf(w.events, "ReportFiled").args.reportId as bigint;
      reportWrite(ctx, "report file-confidential", w, `filed confidential report ${reportId} against ${describeSubject(subject)} (${nameOf(ReportCategory, category)}), commitment ${commitment}`, {
        reportId,
        subject,
        category: nameOf(ReportCategory, category),
        evidenceHash: evidence,
        commitment,
      });
    },
  },
  triageCommand("investigate", "open an investigation of a received report (regulator)", "ReportInvestigating", "investigating"),
  {
    group: "report",
    name: "substantiate",
    usage: `ID --sanctions ID,ID… ${REASON_USAGE}`,
    summary: "substantiate a report under investigation, naming the sanctions applied for it (drl sanction apply … --cause report:ID) (regulator)",
    options: { sanctions: { type: "string" }, ...hashOptions("reason") },
    async run(ctx, { values, positionals: p }) {
      const [i] = positionals(p, ["ID"]);
      const reportId = parseId(i, "ID");
      const sanctionIds = parseIdList(values.sanctions as string | undefined, "--sanctions");
      const reason = await hashArg(values, "reason");
      const w = await ctx.write("ReportRegistry", "substantiate", [reportId, sanctionIds, reason]);
      eventOf(w.events, "ReportSubstantiated");
      reportWrite(ctx, "report substantiate", w, `substantiated report ${reportId} with sanction${sanctionIds.length === 1 ? "" : "s"} ${sanctionIds.join(", ")}`, { reportId, sanctionIds, reasonHash: reason });
    },
  },
  triageCommand("dismiss", "dismiss a received report or one under investigation (regulator)", "ReportDismissed", "dismissed"),
  {
    group: "report",
    name: "show",
    usage: "ID",
    summary: "a report: subject, category, status, filer (the relay of a confidential one) and commitment, evidence, sanctions, history",
    options: {},
    async run(ctx, { positionals: p }) {
      const [i] = positionals(p, ["ID"]);
      await showReport(ctx, parseId(i, "ID"));
    },
  },
];
