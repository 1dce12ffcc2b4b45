import { IntegrityError } from "../../common/errors.js";
import { RightType, SubjectKind, nameOf } from "../../domain/enums.js";
import { K } from "../../store/keys.js";
import { subjectKey } from "../../domain/trace.js";
import { appendHistory, bump, monthOf, referDocument, type HandlerContext, type HandlerMap } from "../context.js";
import type { GrantHistory, GrantRecord } from "../records.js";

async function grant(ctx: HandlerContext, id: bigint): Promise<GrantRecord> {
  const g = await ctx.ws.getJson<GrantRecord>(K.grant(id));
  if (!g) throw new IntegrityError("DRL-INDEX-ORDER", `event for grant ${id} before its issue at ${ctx.cp}`);
  return g;
}

async function save(ctx: HandlerContext, g: GrantRecord, created = false): Promise<void> {
  const id = BigInt(g.id);
  await ctx.ws.put(K.grant(id), { ...g, updated: ctx.at });
  await appendHistory(ctx, K.grantHistory(id, ""), { revoked: g.revoked, frozen: g.frozen } satisfies GrantHistory, created);
}

export const grantHandlers: HandlerMap = {
  GrantIssued: async (ctx, { args }) => {
    const parent = args.parentId === 0n ? undefined : await grant(ctx, args.parentId);
    const s = args.scope;
    const g: GrantRecord = {
      id: args.grantId.toString(),
      parentId: args.parentId.toString(),
      ancestry: parent ? [...parent.ancestry, parent.id] : [],
      grantee: args.grantee.toLowerCase(),
      grantor: args.grantor.toLowerCase(),
      rightType: nameOf(RightType, args.rightType),
      subjectKind: nameOf(SubjectKind, args.subjectKind),
      subjectId: args.subjectId.toString(),
      scope: {
        purposes: Number(s.purposes),
        region: Number(s.region),
        validFrom: Number(s.validFrom),
        validUntil: Number(s.validUntil),
        exclusive: s.exclusive,
        maySubGrant: s.maySubGrant,
        depth: Number(s.depth),
        cap: s.cap.toString(),
      },
      termsHash: args.termsHash,
      authorizationId: args.authorizationId.toString(),
      consentId: args.consentId.toString(),
      revoked: false,
      frozen: false,
      issued: ctx.at,
      updated: ctx.at,
    };
    await save(ctx, g, true);
    ctx.ws.insert(K.grantsBySubject(Number(args.subjectKind), args.subjectId, args.grantId), g.id);
    ctx.ws.insert(K.grantsByGrantee(args.grantee, args.grantId), g.id);
    ctx.ws.insert(K.grantsByGrantor(args.grantor, args.grantId), g.id);
    if (parent) ctx.ws.insert(K.grantChild(args.parentId, args.grantId), g.id);
    const grantKey = subjectKey(SubjectKind.Grant, args.grantId);
    const subject = subjectKey(Number(args.subjectKind), args.subjectId);
    for (const party of new Set([g.grantee, g.grantor])) {
      await ctx.ws.put(K.party(party, grantKey), "party");
      await ctx.ws.put(K.party(party, subject), (await ctx.ws.get(K.party(party, subject))) ?? "party");
    }
    await referDocument(ctx, args.termsHash, grantKey);
    await bump(ctx, K.stat("grants.right", g.rightType, monthOf(ctx.at.time)));
  },
  GrantRevoked: async (ctx, { args }) => save(ctx, { ...(await grant(ctx, args.grantId)), revoked: true }),
  GrantFrozen: async (ctx, { args }) => save(ctx, { ...(await grant(ctx, args.grantId)), frozen: true }),
  GrantUnfrozen: async (ctx, { args }) => save(ctx, { ...(await grant(ctx, args.grantId)), frozen: false }),
  ConditionRegistriesSet: async (ctx, { args }) => {
    await ctx.ws.put(K.meta("param:conditionRegistries"), { operations: args.operations.toLowerCase(), consents: args.consents.toLowerCase(), at: ctx.at });
  },
  SubjectRegistrySet: async (ctx, { args }) => {
    await ctx.ws.put(K.meta(`param:subjectRegistry:${nameOf(SubjectKind, args.subjectKind)}`), { value: args.registry.toLowerCase(), at: ctx.at });
  },
};
