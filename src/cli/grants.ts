/** `drl grant …`: every write of GrantRegistry, and `grant show` with the on-chain validity. */
import { Invalidity, RightType, SubjectKind, nameOf } from "../domain/enums.js";
import { INVALIDITY_PHRASES, formatTime, UsageError } from "./errors.js";
import { NO_EXPIRY, hashArg, hashOptions, hashUsage, parseAddress, parseEnum, parseId, parsePurposes, parseTime, parseUint, positionals } from "./args.js";
import { eventOf, reportWrite, type CommandSpec, type Context } from "./context.js";
import { table } from "./output.js";

interface GrantView {
  grantee: string;
  validFrom: bigint;
  validUntil: bigint;
  rightType: bigint;
  depth: bigint;
  grantor: string;
  parentId: bigint;
  subjectKind: bigint;
  revoked: boolean;
  frozen: boolean;
  exclusive: boolean;
  maySubGrant: boolean;
  subjectId: bigint;
  purposes: bigint;
  region: bigint;
  cap: bigint;
}

async function getGrant(ctx: Context, id: bigint): Promise<GrantView> {
  const [g] = await ctx.view("GrantRegistry", "getGrant", [id]);
  return g as unknown as GrantView;
}

async function chainNow(ctx: Context): Promise<bigint> {
  const b = await ctx.rpc().call<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false]);
  return BigInt(b.timestamp);
}

const bits = (mask: bigint): string => {
  const out: number[] = [];
  for (let i = 0; i < 32; i++) if ((mask >> BigInt(i)) & 1n) out.push(i);
  return out.length ? out.join(",") : "(none)";
};

function grantChange(name: "revoke" | "freeze" | "unfreeze", summary: string, past: string): CommandSpec {
  return {
    group: "grant",
    name,
    usage: `ID ${hashUsage("reason")}`,
    summary,
    options: hashOptions("reason"),
    async run(ctx, { values, positionals: p }) {
      const [i] = positionals(p, ["ID"]);
      const id = parseId(i, "ID");
      const reason = await hashArg(values, "reason");
      const w = await ctx.write("GrantRegistry", name, [id, reason]);
      reportWrite(ctx, `grant ${name}`, w, `${past} grant ${id}${name === "unfreeze" ? "" : " (and so everything granted below it)"}`, { grantId: id, reasonHash: reason });
    },
  };
}

export const GRANT_COMMANDS: CommandSpec[] = [
  {
    group: "grant",
    name: "issue",
    usage: `--to ADDRESS (--resource ID | --subject-kind KIND --subject ID | --parent ID) --purposes LIST --until TIME [--from TIME] [--region CODE] [--exclusive] [--sub-grantable [--depth N]] [--cap N] [--right RIGHT] ${hashUsage("terms")}`,
    summary: "grant a right over a subject (its holder), or sub-grant a grant you received with --parent",
    details: [
      "--purposes: bit numbers (0,1,5) or a mask (0x23, 0b100011); --region: a GB/T 2260 code (330200 = Ningbo; 0 or omitted = anywhere)",
      "--from/--until: now, unix seconds, an ISO date (2027-01-31, 2027-01-31T12:00:00Z), +DURATION (--until +365d counts from --from), or --until never",
      "--right: processing-use (default) or product-operation; with --parent, the right and subject default to the parent's",
      "--sub-grantable lets the grantee sub-grant (--depth levels below, default 1); --cap N a usage cap (0 = none)",
    ],
    options: {
      to: { type: "string" },
      resource: { type: "string" },
      "subject-kind": { type: "string" },
      subject: { type: "string" },
      parent: { type: "string" },
      purposes: { type: "string" },
      region: { type: "string" },
      from: { type: "string" },
      until: { type: "string" },
      exclusive: { type: "boolean" },
      "sub-grantable": { type: "boolean" },
      depth: { type: "string" },
      cap: { type: "string" },
      right: { type: "string" },
      ...hashOptions("terms"),
    },
    async run(ctx, { values, positionals: p }) {
      positionals(p, []);
      const v = values as Record<string, string | boolean | undefined>;
      const grantee = parseAddress(v.to as string | undefined, "--to");
      const parentId = v.parent === undefined ? 0n : parseId(v.parent as string, "--parent");
      if (v.resource !== undefined && v.subject !== undefined) throw new UsageError("give --resource ID or --subject-kind KIND --subject ID, not both");
      let subjectKind: number | undefined;
      let subjectId: bigint | undefined;
      if (v.resource !== undefined) {
        subjectKind = SubjectKind.Resource;
        subjectId = parseId(v.resource as string, "--resource");
      } else if (v.subject !== undefined) {
        subjectKind = parseEnum(SubjectKind, v["subject-kind"] as string | undefined, "--subject-kind");
        subjectId = parseId(v.subject as string, "--subject");
      }
      let right = v.right === undefined ? undefined : parseEnum(RightType, v.right as string, "--right");
      const purposes = parsePurposes(v.purposes as string | undefined);
      const region = v.region === undefined ? 0 : Number(parseUint(v.region as string, "--region", 32));
      const sub = Boolean(v["sub-grantable"]);
      if (!sub && v.depth !== undefined) throw new UsageError("--depth needs --sub-grantable");
      const depth = sub ? Number(parseUint((v.depth as string | undefined) ?? "1", "--depth", 8)) : 0;
      const cap = v.cap === undefined ? 0n : parseUint(v.cap as string, "--cap", 64);
      if (v.until === undefined) throw new UsageError("--until TIME is required (or --until never)");
      const terms = await hashArg(values, "terms");
      if (parentId !== 0n && (subjectId === undefined || right === undefined)) {
        const parent = await getGrant(ctx, parentId);
        subjectKind ??= Number(parent.subjectKind);
        subjectId ??= parent.subjectId;
        right ??= Number(parent.rightType);
      }
      if (subjectId === undefined || subjectKind === undefined) throw new UsageError("name the subject: --resource ID (or --subject-kind KIND --subject ID), or --parent ID for a sub-grant");
      right ??= RightType.ProcessingUse;
      const now = await chainNow(ctx);
      const validFrom = v.from === undefined ? now : parseTime(v.from as string, "--from", now);
      const validUntil = parseTime(v.until as string, "--until", now, validFrom, true);
      if (validFrom >= 1n << 40n || validUntil > NO_EXPIRY) throw new UsageError("--from/--until do not fit 40 bits");
      const scope = { purposes, region, validFrom, validUntil, exclusive: Boolean(v.exclusive), maySubGrant: sub, depth, cap };
      const w = await ctx.write("GrantRegistry", "grant", [right, subjectKind, subjectId, grantee, scope, terms, parentId]);
      const id = eventOf(w.events, "GrantIssued").args.grantId as bigint;
      const what = `${nameOf(RightType, right)} over ${nameOf(SubjectKind, subjectKind)} ${subjectId}`;
      reportWrite(ctx, "grant issue", w, `issued grant ${id}: ${what} to ${grantee}${parentId ? `, under grant ${parentId}` : ""}`, {
        grantId: id,
        parentId,
        rightType: nameOf(RightType, right),
        subjectKind: nameOf(SubjectKind, subjectKind),
        subjectId,
        grantee,
        scope,
        termsHash: terms,
      });
    },
  },
  grantChange("revoke", "revoke a grant and everything below it (its grantor, or a regulator)", "revoked"),
  grantChange("freeze", "freeze a grant and so everything below it (regulator)", "froze"),
  grantChange("unfreeze", "unfreeze a grant (regulator)", "unfroze"),
  {
    group: "grant",
    name: "set-subject-registry",
    usage: "KIND ADDRESS",
    summary: "set the registry answering for subjects of a kind, e.g. product (governance, admin)",
    options: {},
    async run(ctx, { positionals: p }) {
      const [k, a] = positionals(p, ["KIND", "ADDRESS"]);
      const kind = parseEnum(SubjectKind, k, "KIND");
      const registry = parseAddress(a, "ADDRESS");
      const w = await ctx.write("GrantRegistry", "setSubjectRegistry", [kind, registry]);
      reportWrite(ctx, "grant set-subject-registry", w, `registry for ${nameOf(SubjectKind, kind)} subjects set to ${registry}`, { subjectKind: nameOf(SubjectKind, kind), registry });
    },
  },
  {
    group: "grant",
    name: "set-condition-registries",
    usage: "OPERATIONS_ADDRESS CONSENTS_ADDRESS",
    summary: "wire the operation-authorization and consent registries grants rest on; once only (governance, admin)",
    options: {},
    async run(ctx, { positionals: p }) {
      const [a, b] = positionals(p, ["OPERATIONS_ADDRESS", "CONSENTS_ADDRESS"]);
      const operations = parseAddress(a, "OPERATIONS_ADDRESS");
      const consents = parseAddress(b, "CONSENTS_ADDRESS");
      const w = await ctx.write("GrantRegistry", "setConditionRegistries", [operations, consents]);
      reportWrite(ctx, "grant set-condition-registries", w, `condition registries set: operations ${operations}, consents ${consents}`, { operations, consents });
    },
  },
  {
    group: "grant",
    name: "show",
    usage: "ID",
    summary: "a grant, its scope, and whether it is valid now on chain (with the reason)",
    options: {},
    async run(ctx, { positionals: p }) {
      const [i] = positionals(p, ["ID"]);
      const id = parseId(i, "ID");
      const g = await getGrant(ctx, id);
      const [valid] = await ctx.view("GrantRegistry", "isGrantValid", [id]);
      const [reason, atGrant] = await ctx.view("GrantRegistry", "grantValidity", [id]);
      const [authorizationId, consentId] = await ctx.view("GrantRegistry", "conditionsOf", [id]);
      const reasonName = nameOf(Invalidity, reason as bigint);
      const sentence = valid ? "valid now" : `not valid now: at grant ${atGrant} of its chain, ${INVALIDITY_PHRASES[reasonName]}`;
      const stored = g.maySubGrant; // purposes, region and cap are stored only for sub-grantable grants
      const data = {
        grantId: id,
        rightType: nameOf(RightType, g.rightType),
        subjectKind: nameOf(SubjectKind, g.subjectKind),
        subjectId: g.subjectId,
        grantor: g.grantor,
        grantee: g.grantee,
        parentId: g.parentId,
        validFrom: Number(g.validFrom),
        validUntil: g.validUntil === NO_EXPIRY ? null : Number(g.validUntil),
        exclusive: g.exclusive,
        maySubGrant: g.maySubGrant,
        depth: Number(g.depth),
        ...(stored ? { purposes: Number(g.purposes), region: Number(g.region), cap: g.cap } : {}),
        revoked: g.revoked,
        frozen: g.frozen,
        conditions: { authorizationId: authorizationId as bigint, consentId: consentId as bigint },
        validity: { valid: Boolean(valid), reason: reasonName, atGrant: atGrant as bigint, sentence },
      };
      ctx.out.result(data, table([
        ["grant", id],
        ["right", `${data.rightType} over ${data.subjectKind} ${data.subjectId}`],
        ["grantor → grantee", `${g.grantor} → ${g.grantee}`],
        ["parent", g.parentId === 0n ? "(root grant)" : g.parentId],
        ["window", `${formatTime(g.validFrom)} until ${formatTime(g.validUntil)}`],
        ["scope", stored ? `purposes ${bits(g.purposes)}, region ${g.region === 0n ? "anywhere" : g.region}, cap ${g.cap === 0n ? "none" : g.cap}` : "(in the GrantIssued event: stored only for sub-grantable grants)"],
        ["flags", `${g.exclusive ? "exclusive" : "shared"}, ${g.maySubGrant ? `sub-grantable (depth ${g.depth})` : "not sub-grantable"}${g.revoked ? ", revoked" : ""}${g.frozen ? ", frozen" : ""}`],
        ["conditions", authorizationId === 0n && consentId === 0n ? "(none)" : `${authorizationId ? `operation authorization ${authorizationId}` : ""}${authorizationId && consentId ? ", " : ""}${consentId ? `consent ${consentId}` : ""}`],
        ["validity", sentence],
      ]));
    },
  },
];
