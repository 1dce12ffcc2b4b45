/** `drl resource …`: every write of ResourceRegistry, `resource show`, and `resource import` (see import.ts). */
import { Category, Domain, Grade, OpenClass, ResourceKind, ResourceStatus, nameOf } from "../domain/enums.js";
import { formatDuration, formatTime, UsageError } from "./errors.js";
import { hashArg, hashOptions, hashUsage, parseAddress, parseDuration, parseEnum, parseId, parseUint, positionals } from "./args.js";
import { eventOf, reportWrite, type CommandSpec } from "./context.js";
import { table } from "./output.js";
import { IMPORT_COMMAND } from "./import.js";

const ENUM_HELP = [
  `kinds: ${Object.keys(ResourceKind).join(", ")}; categories: ${Object.keys(Category).join(", ")}; grades: ${Object.keys(Grade).join(", ")}`,
  `domains: ${Object.keys(Domain).join(", ")}; open classes: ${Object.keys(OpenClass).join(", ")} (public data needs one, other data NotApplicable, the default)`,
  "names are case-insensitive; dashes and underscores are ignored (port-logistics = PortLogistics)",
];

/** A write `FN(id, hash)` with `--NAME…` for the hash. */
function idAndHash(name: string, fn: string, hashName: string, summary: string, past: string): CommandSpec {
  return {
    group: "resource",
    name,
    usage: `ID ${hashUsage(hashName)}`,
    summary,
    options: hashOptions(hashName),
    async run(ctx, { values, positionals: p }) {
      const [i] = positionals(p, ["ID"]);
      const id = parseId(i, "ID");
      const hash = await hashArg(values, hashName);
      const w = await ctx.write("ResourceRegistry", fn, [id, hash]);
      reportWrite(ctx, `resource ${name}`, w, `${past} resource ${id}`, { resourceId: id, [`${hashName}Hash`]: hash });
    },
  };
}

export const RESOURCE_COMMANDS: CommandSpec[] = [
  {
    group: "resource",
    name: "register",
    usage: `--kind KIND --category CATEGORY --grade GRADE --domain DOMAIN [--open-class CLASS] ${hashUsage("catalogue")} --uri URI`,
    summary: "register a data resource; you (a holder) hold it",
    details: ENUM_HELP,
    options: { kind: { type: "string" }, category: { type: "string" }, grade: { type: "string" }, domain: { type: "string" }, "open-class": { type: "string" }, ...hashOptions("catalogue"), uri: { type: "string" } },
    async run(ctx, { values, positionals: p }) {
      positionals(p, []);
      const args = [
        parseEnum(ResourceKind, values.kind as string | undefined, "--kind"),
        parseEnum(Category, values.category as string | undefined, "--category"),
        parseEnum(Grade, values.grade as string | undefined, "--grade"),
        parseEnum(Domain, values.domain as string | undefined, "--domain"),
        parseEnum(OpenClass, (values["open-class"] as string | undefined) ?? "NotApplicable", "--open-class"),
        await hashArg(values, "catalogue"),
        uriArg(values.uri),
      ] as const;
      const w = await ctx.write("ResourceRegistry", "register", args);
      const id = eventOf(w.events, "ResourceRegistered").args.resourceId as bigint;
      reportWrite(ctx, "resource register", w, `registered resource ${id}`, { resourceId: id, catalogueHash: args[5], uri: args[6] });
    },
  },
  {
    group: "resource",
    name: "transfer",
    usage: `ID --to ADDRESS ${hashUsage("terms")}`,
    summary: "move the holding right to another active holder (holder)",
    options: { to: { type: "string" }, ...hashOptions("terms") },
    async run(ctx, { values, positionals: p }) {
      const [i] = positionals(p, ["ID"]);
      const id = parseId(i, "ID");
      const to = parseAddress(values.to as string | undefined, "--to");
      const terms = await hashArg(values, "terms");
      const w = await ctx.write("ResourceRegistry", "transfer", [id, to, terms]);
      reportWrite(ctx, "resource transfer", w, `transferred resource ${id} to ${to}`, { resourceId: id, to, termsHash: terms });
    },
  },
  {
    group: "resource",
    name: "change",
    usage: `ID ${hashUsage("catalogue")} --uri URI`,
    summary: "register a new catalogue version (holder)",
    options: { ...hashOptions("catalogue"), uri: { type: "string" } },
    async run(ctx, { values, positionals: p }) {
      const [i] = positionals(p, ["ID"]);
      const id = parseId(i, "ID");
      const hash = await hashArg(values, "catalogue");
      const uri = uriArg(values.uri);
      const w = await ctx.write("ResourceRegistry", "change", [id, hash, uri]);
      const version = eventOf(w.events, "ResourceChanged").args.version as bigint;
      reportWrite(ctx, "resource change", w, `resource ${id} is now at catalogue version ${version}`, { resourceId: id, version, catalogueHash: hash, uri });
    },
  },
  idAndHash("cancel", "cancel", "reason", "retire a resource: nothing new is granted on it, its grants stop being valid (holder)", "cancelled"),
  {
    group: "resource",
    name: "object",
    usage: `ID ${hashUsage("evidence")}`,
    summary: "object to a resource during its public-notice window (any active member but its holder)",
    options: hashOptions("evidence"),
    async run(ctx, { values, positionals: p }) {
      const [i] = positionals(p, ["ID"]);
      const id = parseId(i, "ID");
      const evidence = await hashArg(values, "evidence");
      const w = await ctx.write("ResourceRegistry", "object", [id, evidence]);
      const oid = eventOf(w.events, "ObjectionFiled").args.objectionId as bigint;
      reportWrite(ctx, "resource object", w, `filed objection ${oid} on resource ${id}`, { resourceId: id, objectionId: oid, evidenceHash: evidence });
    },
  },
  {
    group: "resource",
    name: "resolve-objection",
    usage: `ID --objection N (--upheld | --dismissed) ${hashUsage("reason")}`,
    summary: "resolve an objection: upheld cancels the resource, dismissed lets it circulate again (regulator)",
    options: { objection: { type: "string" }, upheld: { type: "boolean" }, dismissed: { type: "boolean" }, ...hashOptions("reason") },
    async run(ctx, { values, positionals: p }) {
      const [i] = positionals(p, ["ID"]);
      const id = parseId(i, "ID");
      const oid = parseUint(values.objection as string | undefined, "--objection", 32, 1n);
      if (Boolean(values.upheld) === Boolean(values.dismissed)) throw new UsageError("give exactly one of --upheld and --dismissed");
      const upheld = Boolean(values.upheld);
      const reason = await hashArg(values, "reason");
      const w = await ctx.write("ResourceRegistry", "resolveObjection", [id, oid, upheld, reason]);
      reportWrite(ctx, "resource resolve-objection", w, `objection ${oid} on resource ${id} ${upheld ? "upheld: the resource is cancelled" : "dismissed"}`, { resourceId: id, objectionId: oid, upheld, reasonHash: reason });
    },
  },
  idAndHash("freeze", "freeze", "reason", "freeze a resource (regulator)", "froze"),
  idAndHash("unfreeze", "unfreeze", "reason", "unfreeze a resource (regulator)", "unfroze"),
  {
    group: "resource",
    name: "set-objection-window",
    usage: "DURATION",
    summary: "set the public-notice window for objections, e.g. 7d (governance)",
    options: {},
    async run(ctx, { positionals: p }) {
      const [d] = positionals(p, ["DURATION"]);
      const window = parseDuration(d, "DURATION");
      if (window >= 1n << 40n) throw new UsageError("DURATION does not fit 40 bits");
      const w = await ctx.write("ResourceRegistry", "setObjectionWindow", [window]);
      reportWrite(ctx, "resource set-objection-window", w, `objection window set to ${formatDuration(window)}`, { window });
    },
  },
  {
    group: "resource",
    name: "set-grant-registry",
    usage: "ADDRESS",
    summary: "wire the grant registry that may admit root grants; once only (governance, admin)",
    options: {},
    async run(ctx, { positionals: p }) {
      const [a] = positionals(p, ["ADDRESS"]);
      const registry = parseAddress(a, "ADDRESS");
      const w = await ctx.write("ResourceRegistry", "setGrantRegistry", [registry]);
      reportWrite(ctx, "resource set-grant-registry", w, `grant registry set to ${registry}`, { registry });
    },
  },
  {
    group: "resource",
    name: "show",
    usage: "ID",
    summary: "a resource's holder, classification, status and objections",
    options: {},
    async run(ctx, { positionals: p }) {
      const [i] = positionals(p, ["ID"]);
      const id = parseId(i, "ID");
      const [r] = await ctx.view("ResourceRegistry", "getResource", [id]);
      const [open, objections, version] = await ctx.view("ResourceRegistry", "getObjectionState", [id]);
      const [window] = await ctx.view("ResourceRegistry", "objectionWindow");
      const res = r as unknown as { holder: string; registeredAt: bigint; kind: bigint; category: bigint; grade: bigint; domain: bigint; openClass: bigint; status: bigint; frozen: boolean };
      const data = {
        resourceId: id,
        holder: res.holder,
        registeredAt: Number(res.registeredAt),
        kind: nameOf(ResourceKind, res.kind),
        category: nameOf(Category, res.category),
        grade: nameOf(Grade, res.grade),
        domain: nameOf(Domain, res.domain),
        openClass: nameOf(OpenClass, res.openClass),
        status: nameOf(ResourceStatus, res.status),
        frozen: res.frozen,
        version: Number(version),
        openObjections: Number(open),
        objections: Number(objections),
        objectionWindowClosesAt: Number(res.registeredAt + (window as bigint)),
      };
      ctx.out.result(data, table([
        ["resource", id],
        ["holder", data.holder],
        ["registered", formatTime(res.registeredAt)],
        ["kind", data.kind],
        ["classification", `${data.category}, ${data.grade} grade${data.grade === "Core" ? " (never circulates)" : ""}, open class ${data.openClass}`],
        ["domain", data.domain],
        ["status", `${data.status}${data.frozen ? ", frozen" : ""}`],
        ["catalogue version", data.version],
        ["objections", `${data.openObjections} open of ${data.objections}; window closes ${formatTime(BigInt(data.objectionWindowClosesAt))}`],
      ]));
    },
  },
  IMPORT_COMMAND,
];

function uriArg(v: unknown): string {
  if (typeof v !== "string") throw new UsageError("--uri URI is required (where the catalogue is published)");
  return v;
}
