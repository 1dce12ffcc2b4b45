/** `drl consent …`: every write of ConsentRegistry (record, withdraw) and `consent show`. */
import { formatTime, UsageError } from "./errors.js";
import { hashArg, hashOptions, hashUsage, parseId, parsePurposes, parseTime, parseUint, positionals } from "./args.js";
import { eventOf, reportWrite, type CommandSpec } from "./context.js";
import { subjectEvents } from "./logs.js";
import { chainNow } from "./operations.js";
import { table } from "./output.js";

const bits = (mask: number): string => {
  const out: number[] = [];
  for (let i = 0; i < 32; i++) if ((mask >>> i) & 1) out.push(i);
  return out.length ? out.join(",") : "(none)";
};

export const CONSENT_COMMANDS: CommandSpec[] = [
  {
    group: "consent",
    name: "record",
    usage: `--resource ID ${hashUsage("commitment")} --purposes LIST --subjects N --until TIME`,
    summary: "record the data subjects' consent on a personal-data resource you hold; it becomes the resource's current consent",
    details: [
      "--commitment: the consent evidence, e.g. a Merkle root of the subjects' signed consents (--commitment-hash 0x…)",
      "--purposes: bit numbers (0,1,5) or a mask (0x23); --until: when the consent expires (an ISO date, +DURATION, unix seconds)",
    ],
    options: { resource: { type: "string" }, purposes: { type: "string" }, subjects: { type: "string" }, until: { type: "string" }, ...hashOptions("commitment") },
    async run(ctx, { values, positionals: p }) {
      positionals(p, []);
      const resourceId = parseId(values.resource as string | undefined, "--resource");
      const commitment = await hashArg(values, "commitment");
      const purposes = parsePurposes(values.purposes as string | undefined);
      const subjects = parseUint(values.subjects as string | undefined, "--subjects", 32);
      if (values.until === undefined) throw new UsageError("--until TIME is required (when the consent expires)");
      const now = await chainNow(ctx);
      const expiry = parseTime(values.until as string, "--until", now);
      if (expiry >= 1n << 40n) throw new UsageError("--until does not fit 40 bits");
      const w = await ctx.write("ConsentRegistry", "record", [resourceId, commitment, purposes, subjects, expiry]);
      const id = eventOf(w.events, "ConsentRecorded").args.consentId as bigint;
      reportWrite(ctx, "consent record", w, `recorded consent ${id} on resource ${resourceId}: ${subjects} subjects, purposes ${bits(purposes)}, until ${formatTime(expiry)}`, {
        consentId: id,
        resourceId,
        commitment,
        purposes,
        subjects,
        expiry,
      });
    },
  },
  {
    group: "consent",
    name: "withdraw",
    usage: `ID (--purposes LIST | --all) ${hashUsage("reason")}`,
    summary: "withdraw purposes of a consent, or all of it; grants resting on it stop being valid (the resource's holder, or a regulator)",
    options: { purposes: { type: "string" }, all: { type: "boolean" }, ...hashOptions("reason") },
    async run(ctx, { values, positionals: p }) {
      const [i] = positionals(p, ["ID"]);
      const id = parseId(i, "ID");
      if ((values.purposes === undefined) === !values.all) throw new UsageError("give exactly one of --purposes LIST and --all");
      const reason = await hashArg(values, "reason");
      let purposes: number;
      if (values.all) {
        const [c] = await ctx.view("ConsentRegistry", "getConsent", [id]);
        purposes = Number((c as unknown as { purposes: bigint }).purposes);
        if (purposes === 0) throw new UsageError(`consent ${id} has no purposes left to withdraw`);
      } else purposes = parsePurposes(values.purposes as string);
      const w = await ctx.write("ConsentRegistry", "withdraw", [id, purposes, reason]);
      const remaining = Number(eventOf(w.events, "ConsentWithdrawn").args.remaining);
      reportWrite(ctx, "consent withdraw", w, remaining === 0 ? `withdrew consent ${id} whole` : `withdrew purposes ${bits(purposes)} of consent ${id}; purposes ${bits(remaining)} remain`, {
        consentId: id,
        withdrawn: purposes,
        remaining,
        reasonHash: reason,
      });
    },
  },
  {
    group: "consent",
    name: "show",
    usage: "ID",
    summary: "a consent: resource, purposes left, subjects, expiry, whether it is live and current, and its withdrawals",
    options: {},
    async run(ctx, { positionals: p }) {
      const [i] = positionals(p, ["ID"]);
      const id = parseId(i, "ID");
      const [c] = await ctx.view("ConsentRegistry", "getConsent", [id]);
      const consent = c as unknown as { resourceId: bigint; purposes: bigint; expiry: bigint; subjects: bigint };
      const [current] = await ctx.view("ConsentRegistry", "currentConsent", [consent.resourceId]);
      const purposes = Number(consent.purposes);
      const live = purposes !== 0 && (await chainNow(ctx)) < consent.expiry;
      const events = await subjectEvents(ctx, "ConsentRegistry", ["ConsentRecorded", "ConsentWithdrawn"], id);
      const recorded = events.find((e) => e.name === "ConsentRecorded");
      const withdrawals = events.filter((e) => e.name === "ConsentWithdrawn").map((e) => ({ by: e.args.by as string, withdrawn: Number(e.args.withdrawn), remaining: Number(e.args.remaining), reasonHash: e.args.reasonHash as string, block: e.block }));
      const data = {
        consentId: id,
        resourceId: consent.resourceId,
        holder: (recorded?.args.holder as string | undefined) ?? null,
        commitment: (recorded?.args.commitment as string | undefined) ?? null,
        purposes,
        subjects: Number(consent.subjects),
        expiry: Number(consent.expiry),
        live,
        current: current === id,
        withdrawals,
      };
      ctx.out.result(data, table([
        ["consent", id],
        ["resource", `${consent.resourceId}${data.current ? " (its current consent)" : " (superseded by a newer consent)"}`],
        ["recorded by", data.holder ?? "(unknown)"],
        ["purposes", bits(purposes)],
        ["subjects", data.subjects],
        ["expiry", formatTime(consent.expiry)],
        ["live", live ? "yes" : "no: grants resting on it are not valid"],
        ["withdrawals", withdrawals.length ? withdrawals.map((w) => `${bits(w.withdrawn)} by ${w.by} (block ${w.block})`).join("; ") : "(none)"],
      ]));
    },
  },
];
