import { IntegrityError } from "../../common/errors.js";
import { roleName } from "../../domain/roles.js";
import { K } from "../../store/keys.js";
import { appendHistory, bump, monthOf, type HandlerContext, type HandlerMap } from "../context.js";
import type { MemberHistory, MemberRecord, MemberStatusName } from "../records.js";

async function member(ctx: HandlerContext, account: string): Promise<MemberRecord> {
  const m = await ctx.ws.getJson<MemberRecord>(K.member(account));
  if (!m) throw new IntegrityError("DRL-INDEX-ORDER", `event for member ${account} before its admission at ${ctx.cp}`);
  return m;
}

async function setStatus(ctx: HandlerContext, account: string, status: MemberStatusName): Promise<void> {
  const m = await member(ctx, account);
  await ctx.ws.put(K.member(account), { ...m, status, updated: ctx.at } satisfies MemberRecord);
  await appendHistory(ctx, K.memberHistory(account, ""), { status } satisfies MemberHistory);
}

async function setRole(ctx: HandlerContext, account: string, roleId: string, granted: boolean): Promise<void> {
  const name = roleName(roleId) ?? roleId.toLowerCase();
  const m = await member(ctx, account);
  const roles = granted ? [...new Set([...m.roles, name])].sort() : m.roles.filter((r) => r !== name);
  await ctx.ws.put(K.member(account), { ...m, roles, updated: ctx.at } satisfies MemberRecord);
}

export const memberHandlers: HandlerMap = {
  MemberAdmitted: async (ctx, { args }) => {
    const record: MemberRecord = {
      account: args.account.toLowerCase(),
      orgId: args.orgId,
      credentialHash: args.credentialHash,
      status: "Active",
      roles: [],
      admitted: ctx.at,
      updated: ctx.at,
    };
    await ctx.ws.put(K.member(args.account), record);
    // Not `created`: an account that left may be admitted again, and its history goes on.
    await appendHistory(ctx, K.memberHistory(args.account, ""), { status: "Active" } satisfies MemberHistory);
    await bump(ctx, K.stat("members", "admitted", monthOf(ctx.at.time)));
  },
  RoleGranted: (ctx, { args }) => setRole(ctx, args.account, args.role, true),
  RoleRevoked: (ctx, { args }) => setRole(ctx, args.account, args.role, false),
  MemberSuspended: (ctx, { args }) => setStatus(ctx, args.account, "Suspended"),
  MemberReinstated: (ctx, { args }) => setStatus(ctx, args.account, "Active"),
  MemberExpelled: (ctx, { args }) => setStatus(ctx, args.account, "Exited"),
  // The admin of every role is fixed at deployment; nothing to project.
  RoleAdminChanged: async () => {},
};
