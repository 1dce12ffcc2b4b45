/**
 * `drl admission …`: every write of AdmissionRegistry (governance's lists and levels, government departments; the
 * certifiers' ratings and their revocation) and `admission show` of a rating, a product's certification or a member's
 * qualification.
 */
import { Category, Domain, Grade, RatingKind, nameOf } from "../domain/enums.js";
import { formatTime, UsageError } from "./errors.js";
import { hashArg, hashOptions, hashUsage, parseAddress, parseEnum, parseId, parsePurposes, parseTime, parseUint, positionals } from "./args.js";
import { eventOf, reportWrite, type CommandSpec, type Context } from "./context.js";
import { subjectEvents } from "./logs.js";
import { chainNow } from "./operations.js";
import { table } from "./output.js";

/** The first positional when it is one of `words` (a command's verb, e.g. `mark` in `gov-department mark 0x…`). */
export function verbOf<W extends string>(p: readonly string[], words: readonly W[], usage: string): W {
  const v = p[0];
  if (v === undefined || !(words as readonly string[]).includes(v)) throw new UsageError(`expected ${usage}, got ${v === undefined ? "nothing" : JSON.stringify(v)}`);
  return v as W;
}

/** Purpose bits as a list: `0,1,5`. */
export const purposeBits = (mask: number | bigint): string => {
  const m = Number(mask);
  const out: number[] = [];
  for (let i = 0; i < 32; i++) if ((m >>> i) & 1) out.push(i);
  return out.length ? out.join(",") : "(none)";
};

/** A rating's expiry as a uint40 of the chain's clock: now, unix seconds, an ISO date or +DURATION, in the future. */
async function expiryArg(ctx: Context, v: string | undefined): Promise<bigint> {
  if (v === undefined) throw new UsageError("--until TIME is required (when the rating expires, e.g. +365d)");
  const now = await chainNow(ctx);
  const t = parseTime(v, "--until", now);
  if (t >= 1n << 40n) throw new UsageError("--until does not fit 40 bits");
  return t;
}

const levelArg = (v: string | undefined, min = 1n): bigint => parseUint(v, "--level", 8, min);

interface RatingState {
  kind: bigint;
  revoked: boolean;
  level: bigint;
  expiry: bigint;
  certifier: string;
  target: bigint;
  value: bigint;
}

/** A rating's target as printed: a member's address for a qualification, else a product id. */
const targetOf = (kind: number, target: bigint): string => (kind === RatingKind.Qualification ? "0x" + target.toString(16).padStart(40, "0") : target.toString());

async function showRating(ctx: Context, id: bigint): Promise<void> {
  const [r] = await ctx.view("AdmissionRegistry", "getRating", [id]);
  const s = r as unknown as RatingState;
  const kind = Number(s.kind);
  const events = await subjectEvents(ctx, "AdmissionRegistry", ["RatingRecorded", "RatingRevoked"], id);
  const recorded = events.find((e) => e.name === "RatingRecorded");
  const revoked = events.find((e) => e.name === "RatingRevoked");
  const now = await chainNow(ctx);
  const isAssessment = kind === RatingKind.Quality || kind === RatingKind.Valuation;
  const inForce = !s.revoked && (isAssessment || s.expiry > now);
  const target = targetOf(kind, s.target);
  const data = {
    ratingId: id,
    kind: nameOf(RatingKind, kind),
    target: kind === RatingKind.Qualification ? parseAddress(target, "target") : target,
    certifier: s.certifier,
    level: Number(s.level),
    expiry: isAssessment ? null : Number(s.expiry),
    value: isAssessment ? s.value : null,
    revoked: s.revoked,
    inForce,
    reportHash: (recorded?.args.reportHash as string | undefined) ?? null,
    revocation: revoked ? { by: revoked.args.by as string, reasonHash: revoked.args.reasonHash as string, block: revoked.block } : null,
  };
  ctx.out.result(data, table([
    ["rating", id],
    ["kind", data.kind],
    [kind === RatingKind.Qualification ? "member" : "product", data.target],
    ["certifier", data.certifier],
    isAssessment ? [kind === RatingKind.Quality ? "score" : "valuation", String(s.value)] : ["level", `${data.level}, until ${formatTime(s.expiry)}`],
    ["status", s.revoked ? `revoked by ${data.revocation?.by ?? "?"}` : inForce ? "in force" : "expired"],
    ["report", data.reportHash ?? "(unknown)"],
  ]));
}

export const ADMISSION_COMMANDS: CommandSpec[] = [
  {
    group: "admission",
    name: "negative-entry",
    usage: `set --domain DOMAIN --category CATEGORY --grade GRADE --purposes LIST|none ${hashUsage("reason")}`,
    summary: "put a combination of domain, category and grade on the negative list (负面清单) for purposes; --purposes none clears it (governance)",
    details: ["a listing whose lineage holds a resource of that combination is refused for those purposes; core data never circulates and is not listed"],
    options: { domain: { type: "string" }, category: { type: "string" }, grade: { type: "string" }, purposes: { type: "string" }, ...hashOptions("reason") },
    async run(ctx, { values, positionals: p }) {
      verbOf(p, ["set"], "set");
      positionals(p.slice(1), []);
      const domain = parseEnum(Domain, values.domain as string | undefined, "--domain");
      const category = parseEnum(Category, values.category as string | undefined, "--category");
      const grade = parseEnum(Grade, values.grade as string | undefined, "--grade");
      const purposes = values.purposes === "none" ? 0 : parsePurposes(values.purposes as string | undefined);
      const reason = await hashArg(values, "reason");
      const w = await ctx.write("AdmissionRegistry", "setNegativeEntry", [domain, category, grade, purposes, reason]);
      const combo = `${nameOf(Domain, domain)}, ${nameOf(Category, category)}, ${nameOf(Grade, grade)}`;
      reportWrite(ctx, "admission negative-entry set", w, purposes === 0 ? `cleared the negative-list entry (${combo})` : `negative list: (${combo}) prohibited for purposes ${purposeBits(purposes)}`, {
        domain: nameOf(Domain, domain),
        category: nameOf(Category, category),
        grade: nameOf(Grade, grade),
        purposes,
        reasonHash: reason,
      });
    },
  },
  {
    group: "admission",
    name: "positive-entry",
    usage: `set --scenario CODE [--remove] ${hashUsage("description")}`,
    summary: "add an encouraged scenario to the positive list (正面清单), or --remove it (governance)",
    options: { scenario: { type: "string" }, remove: { type: "boolean" }, ...hashOptions("description") },
    async run(ctx, { values, positionals: p }) {
      verbOf(p, ["set"], "set");
      positionals(p.slice(1), []);
      const scenario = parseUint(values.scenario as string | undefined, "--scenario", 32, 1n);
      const listed = !values.remove;
      const description = await hashArg(values, "description");
      const w = await ctx.write("AdmissionRegistry", "setPositiveEntry", [scenario, listed, description]);
      reportWrite(ctx, "admission positive-entry set", w, `${listed ? "added" : "removed"} scenario ${scenario} ${listed ? "to" : "from"} the positive list`, { scenario, listed, descriptionHash: description });
    },
  },
  {
    group: "admission",
    name: "required-level",
    usage: "set --grade GRADE --level N",
    summary: "the certification level a product needs when its lineage holds data of GRADE, 0 to 255 (governance)",
    options: { grade: { type: "string" }, level: { type: "string" } },
    async run(ctx, { values, positionals: p }) {
      verbOf(p, ["set"], "set");
      positionals(p.slice(1), []);
      const grade = parseEnum(Grade, values.grade as string | undefined, "--grade");
      const level = levelArg(values.level as string | undefined, 0n);
      const w = await ctx.write("AdmissionRegistry", "setRequiredLevel", [grade, level]);
      reportWrite(ctx, "admission required-level set", w, `products over ${nameOf(Grade, grade)} data need certification level ${level}`, { grade: nameOf(Grade, grade), level });
    },
  },
  {
    group: "admission",
    name: "gov-department",
    usage: "mark|unmark ADDRESS",
    summary: "mark an active member as a government department (政府部门), licensed by procurements, or unmark it (governance)",
    options: {},
    async run(ctx, { positionals: p }) {
      const v = verbOf(p, ["mark", "unmark"], "mark or unmark");
      const [, a] = positionals(p, [v, "ADDRESS"]);
      const account = parseAddress(a, "ADDRESS");
      const marked = v === "mark";
      const w = await ctx.write("AdmissionRegistry", "setGovernmentDepartment", [account, marked]);
      reportWrite(ctx, `admission gov-department ${v}`, w, `${account} is ${marked ? "now" : "no longer"} marked as a government department`, { account, marked });
    },
  },
  {
    group: "admission",
    name: "certify",
    usage: `PRODUCT --level N --until TIME ${hashUsage("report")}`,
    summary: "certify a product at a level until a time; it replaces the product's certification (certifier, never the product's holder)",
    options: { level: { type: "string" }, until: { type: "string" }, ...hashOptions("report") },
    async run(ctx, { values, positionals: p }) {
      const [i] = positionals(p, ["PRODUCT"]);
      const productId = parseId(i, "PRODUCT");
      const level = levelArg(values.level as string | undefined);
      const expiry = await expiryArg(ctx, values.until as string | undefined);
      const report = await hashArg(values, "report");
      const w = await ctx.write("AdmissionRegistry", "certifyProduct", [productId, level, expiry, report]);
      const ratingId = eventOf(w.events, "RatingRecorded").args.ratingId as bigint;
      reportWrite(ctx, "admission certify", w, `certified product ${productId} at level ${level} until ${formatTime(expiry)}: rating ${ratingId}`, { ratingId, productId, level, expiry, reportHash: report });
    },
  },
  {
    group: "admission",
    name: "qualify",
    usage: `ADDRESS --level N --until TIME ${hashUsage("report")}`,
    summary: "rate an active member's qualification as a seller at a level until a time (certifier, never itself)",
    options: { level: { type: "string" }, until: { type: "string" }, ...hashOptions("report") },
    async run(ctx, { values, positionals: p }) {
      const [a] = positionals(p, ["ADDRESS"]);
      const account = parseAddress(a, "ADDRESS");
      const level = levelArg(values.level as string | undefined);
      const expiry = await expiryArg(ctx, values.until as string | undefined);
      const report = await hashArg(values, "report");
      const w = await ctx.write("AdmissionRegistry", "qualifyMember", [account, level, expiry, report]);
      const ratingId = eventOf(w.events, "RatingRecorded").args.ratingId as bigint;
      reportWrite(ctx, "admission qualify", w, `qualified ${account} at level ${level} until ${formatTime(expiry)}: rating ${ratingId}`, { ratingId, account, level, expiry, reportHash: report });
    },
  },
  {
    group: "admission",
    name: "assess",
    usage: `quality|valuation PRODUCT --value N ${hashUsage("report")}`,
    summary: "record a product's quality score or valuation (an amount) (certifier, never the product's holder)",
    options: { value: { type: "string" }, ...hashOptions("report") },
    async run(ctx, { values, positionals: p }) {
      const v = verbOf(p, ["quality", "valuation"], "quality or valuation");
      const [, i] = positionals(p, [v, "PRODUCT"]);
      const productId = parseId(i, "PRODUCT");
      const kind = v === "quality" ? RatingKind.Quality : RatingKind.Valuation;
      const value = parseUint(values.value as string | undefined, "--value", 128);
      const report = await hashArg(values, "report");
      const w = await ctx.write("AdmissionRegistry", "assessProduct", [productId, kind, value, report]);
      const ratingId = eventOf(w.events, "RatingRecorded").args.ratingId as bigint;
      reportWrite(ctx, `admission assess ${v}`, w, `recorded the ${v} of product ${productId} as ${value}: rating ${ratingId}`, { ratingId, productId, kind: nameOf(RatingKind, kind), value, reportHash: report });
    },
  },
  {
    group: "admission",
    name: "revoke-rating",
    usage: `ID ${hashUsage("reason")}`,
    summary: "revoke a rating (its certifier, or a regulator)",
    options: hashOptions("reason"),
    async run(ctx, { values, positionals: p }) {
      const [i] = positionals(p, ["ID"]);
      const ratingId = parseId(i, "ID");
      const reason = await hashArg(values, "reason");
      const w = await ctx.write("AdmissionRegistry", "revokeRating", [ratingId, reason]);
      reportWrite(ctx, "admission revoke-rating", w, `revoked rating ${ratingId}`, { ratingId, reasonHash: reason });
    },
  },
  {
    group: "admission",
    name: "show",
    usage: "rating ID | product ID | member ADDRESS",
    summary: "a rating; a product's certification level in force and the level its grades need; a member's qualification level in force",
    options: {},
    async run(ctx, { positionals: p }) {
      const v = verbOf(p, ["rating", "product", "member"], "rating ID, product ID or member ADDRESS");
      const [, x] = positionals(p, [v, v === "member" ? "ADDRESS" : "ID"]);
      if (v === "rating") return showRating(ctx, parseId(x, "ID"));
      if (v === "product") {
        const productId = parseId(x, "ID");
        const [level, ratingId] = await ctx.view("AdmissionRegistry", "certificationLevel", [productId]);
        const required: Record<string, number> = {};
        for (const g of [Grade.General, Grade.Important]) required[nameOf(Grade, g)] = Number((await ctx.view("AdmissionRegistry", "requiredLevel", [g]))[0]);
        const data = { productId, certificationLevel: Number(level), ratingId: ratingId as bigint, requiredLevels: required };
        ctx.out.result(data, table([
          ["product", productId],
          ["certification", Number(level) === 0 ? `none in force${(ratingId as bigint) !== 0n ? ` (last rating ${ratingId}, revoked or expired)` : ""}` : `level ${level} (rating ${ratingId})`],
          ["levels needed", `${Object.entries(required).map(([g, l]) => `${g} data: ${l}`).join(", ")} (a listed product needs at least 1)`],
        ]));
        return;
      }
      const account = parseAddress(x, "ADDRESS");
      const [level, ratingId] = await ctx.view("AdmissionRegistry", "qualificationLevel", [account]);
      const [government] = await ctx.view("AdmissionRegistry", "isGovernmentDepartment", [account]);
      const data = { account, qualificationLevel: Number(level), ratingId: ratingId as bigint, governmentDepartment: Boolean(government) };
      ctx.out.result(data, table([
        ["member", account],
        ["qualification", Number(level) === 0 ? `none in force${(ratingId as bigint) !== 0n ? ` (last rating ${ratingId}: revoked, expired, or the member is not active)` : ""}` : `level ${level} (rating ${ratingId})`],
        ["government department", data.governmentDepartment ? "yes" : "no"],
      ]));
    },
  },
];
