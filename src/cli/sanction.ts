/**
 * `drl sanction …`: a regulator's sanctions with a stated cause (a report or a dispute): freezing a resource, grant or
 * product, suspending a member, withdrawing consent on a privacy complaint; lifting a freeze or suspension; `show`.
 */
import { SanctionKind, SubjectKind, nameOf } from "../domain/enums.js";
import { subjectKey } from "../domain/trace.js";
import { formatTime } from "./errors.js";
import { hashArg, hashOptions, parseAddress, parseId, parsePurposes, positionals } from "./args.js";
import { verbOf } from "./admission.js";
import { eventOf, reportWrite, type CommandSpec, type Context } from "./context.js";
import { subjectEvents } from "./logs.js";
import { table } from "./output.js";
import { describeSubject, parseCause, REASON_USAGE } from "./report.js";

const KINDS = ["freeze-resource", "freeze-grant", "freeze-product", "suspend-member", "withdraw-consent"] as const;
type Kind = (typeof KINDS)[number];

const FREEZE_KIND: Record<Exclude<Kind, "suspend-member" | "withdraw-consent">, number> = {
  "freeze-resource": SubjectKind.Resource,
  "freeze-grant": SubjectKind.Grant,
  "freeze-product": SubjectKind.Product,
};

interface SanctionState {
  subject: string;
  cause: string;
  kind: bigint;
  lifted: boolean;
  appliedAt: bigint;
}

async function showSanction(ctx: Context, id: bigint): Promise<void> {
  const [r] = await ctx.view("Sanctions", "getSanction", [id]);
  const s = r as unknown as SanctionState;
  const events = await subjectEvents(ctx, "Sanctions", ["SanctionApplied", "SanctionLifted"], id);
  const applied = events.find((e) => e.name === "SanctionApplied");
  const lifted = events.find((e) => e.name === "SanctionLifted");
  const data = {
    sanctionId: id,
    kind: nameOf(SanctionKind, s.kind),
    subject: s.subject,
    subjectName: describeSubject(s.subject),
    cause: s.cause,
    causeName: describeSubject(s.cause),
    appliedAt: Number(s.appliedAt),
    appliedBy: (applied?.args.by as string | undefined) ?? null,
    reasonHash: (applied?.args.reasonHash as string | undefined) ?? null,
    lifted: s.lifted,
    lift: lifted ? { by: lifted.args.by as string, reasonHash: lifted.args.reasonHash as string, block: lifted.block } : null,
  };
  ctx.out.result(data, table([
    ["sanction", id],
    ["kind", data.kind],
    ["subject", `${data.subjectName} (${s.subject})`],
    ["cause", data.causeName],
    ["applied", `${formatTime(s.appliedAt)}${data.appliedBy ? ` by ${data.appliedBy}` : ""}`],
    ["reason", data.reasonHash],
    ["status", s.lifted ? `lifted${data.lift ? ` by ${data.lift.by} (block ${data.lift.block})` : ""}` : "in force"],
  ]));
}

export const SANCTION_COMMANDS: CommandSpec[] = [
  {
    group: "sanction",
    name: "apply",
    usage: `${KINDS.join("|")} TARGET --cause report:ID|dispute:ID ${REASON_USAGE} [--purposes LIST]`,
    summary: "apply a sanction caused by a report (not dismissed) or a dispute (not withdrawn) (regulator)",
    details: [
      "TARGET: the resource, grant or product id to freeze, the member's address to suspend, or the consent id whose",
      "  --purposes (bit numbers or a mask) to withdraw, the remedy of a privacy complaint",
    ],
    options: { cause: { type: "string" }, purposes: { type: "string" }, ...hashOptions("reason") },
    async run(ctx, { values, positionals: p }) {
      const kind = verbOf(p, KINDS, KINDS.join(", "));
      const [, t] = positionals(p, [kind, "TARGET"]);
      const cause = parseCause(values.cause as string | undefined);
      let subject: string;
      let purposes: number | undefined;
      if (kind === "suspend-member") subject = subjectKey(SubjectKind.Member, parseAddress(t, "TARGET"));
      else if (kind === "withdraw-consent") {
        subject = subjectKey(SubjectKind.Consent, parseId(t, "TARGET"));
        purposes = parsePurposes(values.purposes as string | undefined);
      } else subject = subjectKey(FREEZE_KIND[kind], parseId(t, "TARGET"));
      const reason = await hashArg(values, "reason");
      const w = purposes === undefined ? await ctx.write("Sanctions", "freeze", [subject, cause, reason]) : await ctx.write("Sanctions", "withdrawConsent", [parseId(t, "TARGET"), purposes, cause, reason]);
      const e = eventOf(w.events, "SanctionApplied");
      const sanctionId = e.args.sanctionId as bigint;
      reportWrite(ctx, "sanction apply", w, `applied sanction ${sanctionId}: ${nameOf(SanctionKind, e.args.kind as bigint)} of ${describeSubject(subject)}, caused by ${describeSubject(cause)}`, {
        sanctionId,
        kind: nameOf(SanctionKind, e.args.kind as bigint),
        subject,
        cause,
        ...(purposes === undefined ? {} : { purposes }),
        reasonHash: reason,
      });
    },
  },
  {
    group: "sanction",
    name: "lift",
    usage: `ID ${REASON_USAGE}`,
    summary: "lift a freeze or suspension (unfreeze, reinstate); a consent withdrawal cannot be lifted (regulator)",
    options: hashOptions("reason"),
    async run(ctx, { values, positionals: p }) {
      const [i] = positionals(p, ["ID"]);
      const sanctionId = parseId(i, "ID");
      const reason = await hashArg(values, "reason");
      const w = await ctx.write("Sanctions", "lift", [sanctionId, reason]);
      const e = eventOf(w.events, "SanctionLifted");
      reportWrite(ctx, "sanction lift", w, `lifted sanction ${sanctionId} on ${describeSubject(e.args.subject as string)}`, { sanctionId, subject: e.args.subject as string, reasonHash: reason });
    },
  },
  {
    group: "sanction",
    name: "show",
    usage: "ID",
    summary: "a sanction: kind, subject, cause, who applied it and why, whether lifted",
    options: {},
    async run(ctx, { positionals: p }) {
      const [i] = positionals(p, ["ID"]);
      await showSanction(ctx, parseId(i, "ID"));
    },
  },
];
