/** `drl member …`: every write of MemberRegistry, and `member show`. */
import { MemberStatus, nameOf } from "../domain/enums.js";
import { ROLE_IDS, ROLE_NAMES, roleName } from "../domain/roles.js";
import { hashArg, hashOptions, hashUsage, parseAddress, parseRole, parseRoles, positionals } from "./args.js";
import { reportWrite, type CommandSpec, type Context, type Values } from "./context.js";
import { table } from "./output.js";

const roleLabel = (id: string) => roleName(id) ?? id;

function statusChange(name: "suspend" | "reinstate" | "expel", past: string, who: string): CommandSpec {
  return {
    group: "member",
    name,
    usage: `ADDRESS ${hashUsage("reason")}`,
    summary: `${name} a member (${who})`,
    options: hashOptions("reason"),
    async run(ctx, { values, positionals: p }) {
      const [a] = positionals(p, ["ADDRESS"]);
      const account = parseAddress(a, "ADDRESS");
      const reason = await hashArg(values, "reason");
      const w = await ctx.write("MemberRegistry", name, [account, reason]);
      reportWrite(ctx, `member ${name}`, w, `${past} ${account}`, { account, reasonHash: reason });
    },
  };
}

function roleChange(name: "grant-role" | "revoke-role"): CommandSpec {
  const fn = name === "grant-role" ? "grantRole" : "revokeRole";
  return {
    group: "member",
    name,
    usage: "ADDRESS --role ROLE",
    summary: `${name === "grant-role" ? "grant a role to" : "revoke a role from"} an admitted member (governance)`,
    options: { role: { type: "string" } },
    async run(ctx, { values, positionals: p }) {
      const [a] = positionals(p, ["ADDRESS"]);
      const account = parseAddress(a, "ADDRESS");
      const role = parseRole(values.role as string | undefined);
      const w = await ctx.write("MemberRegistry", fn, [role, account]);
      const changed = w.events.some((e) => e.name === (fn === "grantRole" ? "RoleGranted" : "RoleRevoked"));
      reportWrite(ctx, `member ${name}`, w, changed ? `${fn === "grantRole" ? "granted" : "revoked"} ${roleLabel(role)} ${fn === "grantRole" ? "to" : "from"} ${account}` : `${account} ${fn === "grantRole" ? "already had" : "did not have"} ${roleLabel(role)}: nothing changed`, {
        account,
        role: roleLabel(role),
        changed,
      });
    },
  };
}

export async function memberState(ctx: Context, account: string): Promise<{ status: string; roles: string[]; activeRoles: string[] }> {
  const [status] = await ctx.view("MemberRegistry", "statusOf", [account]);
  const held: string[] = [];
  for (const n of ROLE_NAMES) if ((await ctx.view("MemberRegistry", "hasRole", [ROLE_IDS[n], account]))[0]) held.push(n);
  const statusName = nameOf(MemberStatus, status as bigint);
  return { status: statusName, roles: held, activeRoles: statusName === "Active" ? held : [] };
}

export const MEMBER_COMMANDS: CommandSpec[] = [
  {
    group: "member",
    name: "admit",
    usage: `ADDRESS ${hashUsage("org", "org-id")} ${hashUsage("credential")} [--roles ROLE,ROLE…]`,
    summary: "admit an organisation's account as an active member with roles (governance)",
    details: ["--org hashes the organisation id (e.g. its unified social credit code); --credential the admission credential document"],
    options: { ...hashOptions("org"), ...hashOptions("credential"), roles: { type: "string" } },
    async run(ctx, { values, positionals: p }) {
      const [a] = positionals(p, ["ADDRESS"]);
      const account = parseAddress(a, "ADDRESS");
      const org = await hashArg(values, "org");
      const credential = await hashArg(values, "credential");
      const roles = parseRoles(values.roles as string | undefined);
      const w = await ctx.write("MemberRegistry", "admit", [account, org, credential, roles]);
      reportWrite(ctx, "member admit", w, `admitted ${account}${roles.length ? ` with ${roles.map(roleLabel).join(", ")}` : " (no roles)"}`, {
        account,
        orgId: org,
        credentialHash: credential,
        roles: roles.map(roleLabel),
      });
    },
  },
  roleChange("grant-role"),
  roleChange("revoke-role"),
  {
    group: "member",
    name: "renounce-role",
    usage: "--role ROLE",
    summary: "give up one of your own roles (the signer's)",
    options: { role: { type: "string" } },
    async run(ctx, { values, positionals: p }) {
      positionals(p, []);
      const role = parseRole(values.role as string | undefined);
      const me = (await ctx.key()).address;
      const w = await ctx.write("MemberRegistry", "renounceRole", [role, me]);
      const changed = w.events.some((e) => e.name === "RoleRevoked");
      reportWrite(ctx, "member renounce-role", w, changed ? `${me} renounced ${roleLabel(role)}` : `${me} did not have ${roleLabel(role)}: nothing changed`, { account: me, role: roleLabel(role), changed });
    },
  },
  statusChange("suspend", "suspended", "governance or regulator"),
  statusChange("reinstate", "reinstated", "governance"),
  statusChange("expel", "expelled", "governance; final"),
  {
    group: "member",
    name: "show",
    usage: "ADDRESS",
    summary: "a member's status and roles",
    options: {},
    async run(ctx, { positionals: p }) {
      const [a] = positionals(p, ["ADDRESS"]);
      const account = parseAddress(a, "ADDRESS");
      const s = await memberState(ctx, account);
      ctx.out.result({ account, ...s }, table([
        ["account", account],
        ["status", s.status],
        ["roles", s.roles.length ? s.roles.join(", ") : "(none)"],
        ["may act", s.status === "Active" ? "yes" : "no (only active members write)"],
      ]));
    },
  },
];

export type { Values };
