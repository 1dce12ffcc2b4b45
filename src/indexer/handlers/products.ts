import { IntegrityError } from "../../common/errors.js";
import { DeliveryMode, Domain, ProductKind, SubjectKind, nameOf } from "../../domain/enums.js";
import { subjectKey } from "../../domain/trace.js";
import { K } from "../../store/keys.js";
import { appendHistory, bump, monthOf, referDocument, type HandlerContext, type HandlerMap } from "../context.js";
import type { ProductHistory, ProductRecord } from "../records.js";

async function product(ctx: HandlerContext, id: bigint): Promise<ProductRecord> {
  const p = await ctx.ws.getJson<ProductRecord>(K.product(id));
  if (!p) throw new IntegrityError("DRL-INDEX-ORDER", `event for product ${id} before its registration at ${ctx.cp}`);
  return p;
}

async function save(ctx: HandlerContext, p: ProductRecord, created = false): Promise<void> {
  const id = BigInt(p.id);
  await ctx.ws.put(K.product(id), { ...p, updated: ctx.at });
  await appendHistory(ctx, K.productHistory(id, ""), { frozen: p.frozen, cancelled: p.cancelled } satisfies ProductHistory, created);
}

/** Data products and their lineage (adjacency both ways). */
export const productHandlers: HandlerMap = {
  ProductRegistered: async (ctx, { args }) => {
    const spec = args.spec;
    const p: ProductRecord = {
      id: args.productId.toString(),
      holder: args.holder.toLowerCase(),
      kind: nameOf(ProductKind, spec.kind),
      delivery: nameOf(DeliveryMode, spec.delivery),
      domain: nameOf(Domain, spec.domain),
      depth: Number(args.depth),
      environmentHash: spec.environmentHash,
      metadataHash: spec.metadataHash,
      uri: spec.uri,
      inputs: args.inputs.map((i) => ({ kind: nameOf(SubjectKind, i.kind), id: i.id.toString(), grantId: i.grantId.toString(), shareBps: Number(i.shareBps) })),
      operatorBps: Number(spec.operatorBps),
      publicBps: Number(spec.publicBps),
      frozen: false,
      cancelled: false,
      registered: ctx.at,
      updated: ctx.at,
    };
    await save(ctx, p, true);
    const key = subjectKey(SubjectKind.Product, args.productId);
    ctx.ws.insert(K.productsByHolder(args.holder, args.productId), p.id);
    await ctx.ws.put(K.party(args.holder, key), "holder");
    const edges = args.inputs.map((i) => [subjectKey(Number(i.kind), i.id), nameOf(SubjectKind, i.kind), i.id.toString(), i.grantId.toString()] as const);
    ctx.ws.insert(K.productInputs(args.productId), edges.toSorted((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
    for (const i of args.inputs) {
      const input = subjectKey(Number(i.kind), i.id);
      ctx.ws.insert(K.lineageUp(args.productId, input), i.grantId.toString());
      ctx.ws.insert(K.lineageDown(input, args.productId), p.id);
      const n = Number((await ctx.ws.get(K.lineageChildCount(input))) ?? "0") + 1;
      await ctx.ws.put(K.lineageChildCount(input), String(n));
      ctx.ws.insert(K.lineageChild(input, n), p.id);
    }
    await referDocument(ctx, spec.metadataHash, key);
    await referDocument(ctx, spec.environmentHash, key);
    await bump(ctx, K.stat("products.domain", p.domain, monthOf(ctx.at.time)));
  },
  ProductFrozen: async (ctx, { args }) => save(ctx, { ...(await product(ctx, args.productId)), frozen: true }),
  ProductUnfrozen: async (ctx, { args }) => save(ctx, { ...(await product(ctx, args.productId)), frozen: false }),
  ProductCancelled: async (ctx, { args }) => save(ctx, { ...(await product(ctx, args.productId)), cancelled: true }),
};
