import { IntegrityError } from "../../common/errors.js";
import { Category, Domain, Grade, RatingKind, SubjectKind, nameOf } from "../../domain/enums.js";
import { subjectKey } from "../../domain/trace.js";
import { K } from "../../store/keys.js";
import { bump, monthOf, referDocument, type HandlerMap } from "../context.js";
import type { GovernmentDepartmentRecord, NegativeEntryRecord, PositiveEntryRecord, RatingKindName, RatingRecord, RequiredLevelRecord } from "../records.js";

/**
 * Market admission (准入): the negative list (current entries and every change), the positive list (encouraged
 * scenarios, with every change), the certification level each grade needs, government departments, and ratings
 * by product and by member.
 */
export const admissionHandlers: HandlerMap = {
  NegativeEntrySet: async (ctx, { args }) => {
    const e: NegativeEntryRecord = {
      domain: nameOf(Domain, args.domain),
      category: nameOf(Category, args.category),
      grade: nameOf(Grade, args.grade),
      purposes: Number(args.purposes),
      reasonHash: args.reasonHash,
      by: args.by.toLowerCase(),
      at: ctx.at,
    };
    const key = K.negativeEntry(Number(args.domain), Number(args.category), Number(args.grade));
    // Purposes 0 clears the entry on chain: the current list drops it, the history keeps the change.
    if (e.purposes === 0) await ctx.ws.del(key);
    else await ctx.ws.put(key, e);
    ctx.ws.insert(K.negativeHistory(ctx.cp), e);
  },
  PositiveEntrySet: async (ctx, { args }) => {
    const e: PositiveEntryRecord = { scenario: Number(args.scenario), listed: args.listed, descriptionHash: args.descriptionHash, by: args.by.toLowerCase(), at: ctx.at };
    if (e.listed) await ctx.ws.put(K.positiveEntry(args.scenario), e);
    else await ctx.ws.del(K.positiveEntry(args.scenario));
    ctx.ws.insert(K.positiveHistory(ctx.cp), e);
  },
  RequiredLevelSet: async (ctx, { args }) => {
    await ctx.ws.put(K.requiredLevel(Number(args.grade)), { grade: nameOf(Grade, args.grade), level: Number(args.level), by: args.by.toLowerCase(), at: ctx.at } satisfies RequiredLevelRecord);
  },
  GovernmentDepartmentSet: async (ctx, { args }) => {
    const key = K.governmentDepartment(args.account);
    if (args.marked) await ctx.ws.put(key, { account: args.account.toLowerCase(), marked: true, by: args.by.toLowerCase(), at: ctx.at } satisfies GovernmentDepartmentRecord);
    else await ctx.ws.del(key);
  },
  RatingRecorded: async (ctx, { args }) => {
    const kind = nameOf(RatingKind, args.kind) as RatingKindName;
    const isMember = kind === "Qualification";
    // The target is a product id, or (a qualification) the member's address as a uint160.
    const member = isMember ? "0x" + args.target.toString(16).padStart(40, "0") : null;
    const r: RatingRecord = {
      id: args.ratingId.toString(),
      kind,
      productId: isMember ? null : args.target.toString(),
      member,
      certifier: args.certifier.toLowerCase(),
      level: Number(args.level),
      expiry: Number(args.expiry),
      value: args.value.toString(),
      reportHash: args.reportHash,
      revoked: false,
      revocation: null,
      recorded: ctx.at,
      updated: ctx.at,
    };
    await ctx.ws.put(K.rating(args.ratingId), r);
    if (member) ctx.ws.insert(K.ratingsByMember(member, args.ratingId), r.id);
    else ctx.ws.insert(K.ratingsByProduct(args.target, args.ratingId), r.id);
    await referDocument(ctx, args.reportHash, subjectKey(SubjectKind.Rating, args.ratingId));
    await bump(ctx, K.stat("ratings.kind", kind, monthOf(ctx.at.time)));
  },
  RatingRevoked: async (ctx, { args }) => {
    const r = await ctx.ws.getJson<RatingRecord>(K.rating(args.ratingId));
    if (!r) throw new IntegrityError("DRL-INDEX-ORDER", `event for rating ${args.ratingId} before it was recorded at ${ctx.cp}`);
    await ctx.ws.put(K.rating(args.ratingId), { ...r, revoked: true, revocation: { by: args.by.toLowerCase(), reasonHash: args.reasonHash, at: ctx.at }, updated: ctx.at });
    await referDocument(ctx, args.reasonHash, subjectKey(SubjectKind.Rating, args.ratingId));
  },
};
