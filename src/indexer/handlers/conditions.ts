import { IntegrityError } from "../../common/errors.js";
import { SubjectKind } from "../../domain/enums.js";
import { subjectKey } from "../../domain/trace.js";
import { K } from "../../store/keys.js";
import { appendHistory, bump, monthOf, referDocument, type HandlerContext, type HandlerMap } from "../context.js";
import type { AuthorizationHistory, AuthorizationRecord, ConsentHistory, ConsentRecord, EvaluationRecord } from "../records.js";

async function authorization(ctx: HandlerContext, id: bigint): Promise<AuthorizationRecord> {
  const a = await ctx.ws.getJson<AuthorizationRecord>(K.authorization(id));
  if (!a) throw new IntegrityError("DRL-INDEX-ORDER", `event for operation authorization ${id} before it was granted at ${ctx.cp}`);
  return a;
}

async function consent(ctx: HandlerContext, id: bigint): Promise<ConsentRecord> {
  const c = await ctx.ws.getJson<ConsentRecord>(K.consent(id));
  if (!c) throw new IntegrityError("DRL-INDEX-ORDER", `event for consent ${id} before it was recorded at ${ctx.cp}`);
  return c;
}

/** Public-data operation authorizations and personal-information consent. */
export const conditionHandlers: HandlerMap = {
  OperationAuthorized: async (ctx, { args }) => {
    const a: AuthorizationRecord = {
      id: args.authorizationId.toString(),
      operator: args.operator.toLowerCase(),
      scenario: args.scenario,
      conditionsHash: args.conditionsHash,
      validFrom: Number(args.validFrom),
      validUntil: Number(args.validUntil),
      resourceIds: args.resourceIds.map((r) => r.toString()),
      status: "Active",
      evaluations: 0,
      lastScore: null,
      granted: ctx.at,
      updated: ctx.at,
    };
    await ctx.ws.put(K.authorization(args.authorizationId), a);
    await appendHistory(ctx, K.authorizationHistory(args.authorizationId, ""), { status: "Active" } satisfies AuthorizationHistory, true);
    ctx.ws.insert(K.authorizationsByOperator(args.operator, args.authorizationId), a.id);
    const key = subjectKey(SubjectKind.OperationAuthorization, args.authorizationId);
    await ctx.ws.put(K.party(args.operator, key), "operator");
    for (const r of args.resourceIds) await ctx.ws.put(K.party(args.operator, subjectKey(SubjectKind.Resource, r)), (await ctx.ws.get(K.party(args.operator, subjectKey(SubjectKind.Resource, r)))) ?? "operator");
    await referDocument(ctx, args.conditionsHash, key);
    await bump(ctx, K.stat("operations.authorized", "all", monthOf(ctx.at.time)));
  },
  OperationEvaluated: async (ctx, { args }) => {
    const a = await authorization(ctx, args.authorizationId);
    ctx.ws.insert(K.evaluation(args.authorizationId, ctx.cp), {
      authorizationId: a.id,
      evaluator: args.evaluator.toLowerCase(),
      period: Number(args.period),
      score: Number(args.score),
      reportHash: args.reportHash,
      at: ctx.at,
    } satisfies EvaluationRecord);
    await ctx.ws.put(K.authorization(args.authorizationId), { ...a, evaluations: a.evaluations + 1, lastScore: Number(args.score), updated: ctx.at });
    await referDocument(ctx, args.reportHash, subjectKey(SubjectKind.OperationAuthorization, args.authorizationId));
  },
  OperationExitedBy: async (ctx, { args }) => {
    const a = await authorization(ctx, args.authorizationId);
    await ctx.ws.put(K.authorization(args.authorizationId), { ...a, status: "Exited", exit: { by: args.by.toLowerCase(), forced: args.forced, reasonHash: args.reasonHash, at: ctx.at }, updated: ctx.at });
    await appendHistory(ctx, K.authorizationHistory(args.authorizationId, ""), { status: "Exited" } satisfies AuthorizationHistory);
  },
  ConsentRecorded: async (ctx, { args }) => {
    const c: ConsentRecord = {
      id: args.consentId.toString(),
      resourceId: args.resourceId.toString(),
      holder: args.holder.toLowerCase(),
      commitment: args.commitment,
      purposes: Number(args.purposes),
      subjects: Number(args.subjects),
      expiry: Number(args.expiry),
      recorded: ctx.at,
      updated: ctx.at,
    };
    await ctx.ws.put(K.consent(args.consentId), c);
    await appendHistory(ctx, K.consentHistory(args.consentId, ""), { purposes: c.purposes } satisfies ConsentHistory, true);
    ctx.ws.insert(K.consentsByResource(args.resourceId, args.consentId), c.id);
    await ctx.ws.put(K.party(args.holder, subjectKey(SubjectKind.Consent, args.consentId)), "holder");
    await bump(ctx, K.stat("consents.subjects", "all", monthOf(ctx.at.time)), args.subjects);
  },
  ConsentWithdrawn: async (ctx, { args }) => {
    const c = await consent(ctx, args.consentId);
    await ctx.ws.put(K.consent(args.consentId), { ...c, purposes: Number(args.remaining), updated: ctx.at });
    await appendHistory(ctx, K.consentHistory(args.consentId, ""), { purposes: Number(args.remaining) } satisfies ConsentHistory);
    await referDocument(ctx, args.reasonHash, subjectKey(SubjectKind.Consent, args.consentId));
  },
};
