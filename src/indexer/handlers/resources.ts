import { IntegrityError } from "../../common/errors.js";
import { Category, Domain, Grade, OpenClass, ResourceKind, nameOf } from "../../domain/enums.js";
import { K } from "../../store/keys.js";
import { SubjectKind } from "../../domain/enums.js";
import { subjectKey } from "../../domain/trace.js";
import { appendHistory, bump, monthOf, referDocument, type HandlerContext, type HandlerMap } from "../context.js";
import type { ObjectionRecord, ResourceHistory, ResourceRecord, ResourceVersion } from "../records.js";

async function resource(ctx: HandlerContext, id: bigint): Promise<ResourceRecord> {
  const r = await ctx.ws.getJson<ResourceRecord>(K.resource(id));
  if (!r) throw new IntegrityError("DRL-INDEX-ORDER", `event for resource ${id} before its registration at ${ctx.cp}`);
  return r;
}

/** Stores the new state of a resource and the history entry that validity-at-a-block reads. */
async function save(ctx: HandlerContext, id: bigint, r: ResourceRecord, created = false): Promise<void> {
  await ctx.ws.put(K.resource(id), { ...r, updated: ctx.at });
  await appendHistory(ctx, K.resourceHistory(id, ""), { holder: r.holder, status: r.status, frozen: r.frozen } satisfies ResourceHistory, created);
}

export const resourceHandlers: HandlerMap = {
  ResourceRegistered: async (ctx, { args }) => {
    const r: ResourceRecord = {
      id: args.resourceId.toString(),
      holder: args.holder.toLowerCase(),
      kind: nameOf(ResourceKind, args.kind),
      category: nameOf(Category, args.category),
      grade: nameOf(Grade, args.grade),
      domain: nameOf(Domain, args.domain),
      openClass: nameOf(OpenClass, args.openClass),
      status: "Active",
      frozen: false,
      version: 1,
      catalogueHash: args.catalogueHash,
      catalogueUri: args.catalogueUri,
      objections: 0,
      openObjections: 0,
      registered: ctx.at,
      updated: ctx.at,
    };
    await save(ctx, args.resourceId, r, true);
    ctx.ws.insert(K.resourceVersion(args.resourceId, 1n), { version: 1, catalogueHash: args.catalogueHash, catalogueUri: args.catalogueUri, at: ctx.at } satisfies ResourceVersion);
    ctx.ws.insert(K.resourcesByHolder(args.holder, args.resourceId), args.resourceId.toString());
    const key = subjectKey(SubjectKind.Resource, args.resourceId);
    await ctx.ws.put(K.party(args.holder, key), "holder");
    await referDocument(ctx, args.catalogueHash, key);
    const month = monthOf(ctx.at.time);
    await bump(ctx, K.stat("resources.domain", r.domain, month));
    await bump(ctx, K.stat("resources.category", r.category, month));
    await bump(ctx, K.stat("resources.grade", r.grade, month));
  },
  ResourceTransferred: async (ctx, { args }) => {
    const r = await resource(ctx, args.resourceId);
    await ctx.ws.del(K.resourcesByHolder(args.from, args.resourceId));
    await ctx.ws.put(K.resourcesByHolder(args.to, args.resourceId), args.resourceId.toString());
    const key = subjectKey(SubjectKind.Resource, args.resourceId);
    await ctx.ws.put(K.party(args.to, key), "holder");
    await referDocument(ctx, args.termsHash, key);
    await save(ctx, args.resourceId, { ...r, holder: args.to.toLowerCase() });
    await bump(ctx, K.stat("rights.transferred", "Holding", monthOf(ctx.at.time)));
  },
  // A holding transfer ordered by a final ruling, carried out by the severe-action executor once approved.
  ResourceTransferredByRuling: async (ctx, { args }) => {
    const r = await resource(ctx, args.resourceId);
    await ctx.ws.del(K.resourcesByHolder(args.from, args.resourceId));
    await ctx.ws.put(K.resourcesByHolder(args.to, args.resourceId), args.resourceId.toString());
    const key = subjectKey(SubjectKind.Resource, args.resourceId);
    await ctx.ws.put(K.party(args.to, key), "holder");
    await referDocument(ctx, args.reasonHash, key);
    await save(ctx, args.resourceId, { ...r, holder: args.to.toLowerCase() });
    await bump(ctx, K.stat("rights.transferred", "HoldingByRuling", monthOf(ctx.at.time)));
  },
  ResourceChanged: async (ctx, { args }) => {
    const r = await resource(ctx, args.resourceId);
    const version = Number(args.version);
    ctx.ws.insert(K.resourceVersion(args.resourceId, args.version), { version, catalogueHash: args.catalogueHash, catalogueUri: args.catalogueUri, at: ctx.at } satisfies ResourceVersion);
    await referDocument(ctx, args.catalogueHash, subjectKey(SubjectKind.Resource, args.resourceId));
    await save(ctx, args.resourceId, { ...r, version, catalogueHash: args.catalogueHash, catalogueUri: args.catalogueUri });
  },
  ResourceCancelled: async (ctx, { args }) => {
    const r = await resource(ctx, args.resourceId);
    await save(ctx, args.resourceId, { ...r, status: "Cancelled" });
  },
  ObjectionFiled: async (ctx, { args }) => {
    const r = await resource(ctx, args.resourceId);
    const o: ObjectionRecord = {
      resourceId: args.resourceId.toString(),
      objectionId: Number(args.objectionId),
      objector: args.objector.toLowerCase(),
      evidenceHash: args.evidenceHash,
      filed: ctx.at,
    };
    ctx.ws.insert(K.objection(args.resourceId, args.objectionId), o);
    const key = subjectKey(SubjectKind.Resource, args.resourceId);
    await ctx.ws.put(K.party(args.objector, key), "objector");
    await referDocument(ctx, args.evidenceHash, key);
    await save(ctx, args.resourceId, { ...r, status: "UnderObjection", objections: r.objections + 1, openObjections: r.openObjections + 1 });
  },
  ObjectionResolved: async (ctx, { args }) => {
    const r = await resource(ctx, args.resourceId);
    const key = K.objection(args.resourceId, args.objectionId);
    const o = await ctx.ws.getJson<ObjectionRecord>(key);
    if (!o) throw new IntegrityError("DRL-INDEX-ORDER", `objection ${args.objectionId} on ${args.resourceId} resolved before filed`);
    await ctx.ws.put(key, { ...o, resolution: { upheld: args.upheld, regulator: args.regulator.toLowerCase(), reasonHash: args.reasonHash, at: ctx.at } } satisfies ObjectionRecord);
    const open = r.openObjections - 1;
    // Same rule as the contract: the last dismissal returns the resource to Active; an upheld one is followed by
    // ResourceCancelled in the same transaction.
    const status = open === 0 && r.status === "UnderObjection" ? "Active" : r.status;
    await save(ctx, args.resourceId, { ...r, openObjections: open, status });
  },
  ResourceFrozen: async (ctx, { args }) => {
    const r = await resource(ctx, args.resourceId);
    await save(ctx, args.resourceId, { ...r, frozen: true });
  },
  ResourceUnfrozen: async (ctx, { args }) => {
    const r = await resource(ctx, args.resourceId);
    await save(ctx, args.resourceId, { ...r, frozen: false });
  },
  ObjectionWindowSet: async (ctx, { args }) => {
    await ctx.ws.put(K.meta("param:objectionWindow"), { value: Number(args.window), at: ctx.at });
  },
  GrantRegistrySet: async (ctx, { args }) => {
    await ctx.ws.put(K.meta("param:grantRegistry"), { value: args.registry.toLowerCase(), at: ctx.at });
  },
};
