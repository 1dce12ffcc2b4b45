import { SubjectKind } from "../domain/enums.js";
import type { GrantRecord, ObjectionRecord, ResourceRecord, ResourceVersion } from "../indexer/records.js";
import type { Caller } from "../api/route.js";
import { notFound } from "../api/errors.js";
import { pageOf } from "../api/pagination.js";
import type { IndexDb } from "../store/db.js";
import { K } from "../store/keys.js";
import { records } from "../store/repositories/records.js";
import { grantValidityAt, type GrantValidity } from "../queries/grant-validity.js";
import { canReadResource, isResourceParty } from "./visibility.js";
import { latestPoint } from "./time.js";

export interface ResourceFilter {
  domain?: string;
  category?: string;
  grade?: string;
  holder?: string;
  status?: string;
  q?: string;
}

/** The catalogue fields anyone allowed to see a resource sees; the holder's detail adds the rest. */
const catalogueView = (r: ResourceRecord) => ({
  id: r.id,
  kind: r.kind,
  category: r.category,
  grade: r.grade,
  domain: r.domain,
  openClass: r.openClass,
  status: r.status,
  version: r.version,
  catalogueHash: r.catalogueHash,
  catalogueUri: r.catalogueUri,
  registeredAt: r.registered.time,
});

const detailView = (r: ResourceRecord) => ({ ...catalogueView(r), holder: r.holder, frozen: r.frozen, objections: r.objections, openObjections: r.openObjections, registered: r.registered, updated: r.updated });

export type ResourceView = ReturnType<typeof catalogueView> & Partial<ReturnType<typeof detailView>>;

function matches(r: ResourceRecord, f: ResourceFilter): boolean {
  if (f.domain && r.domain !== f.domain) return false;
  if (f.category && r.category !== f.category) return false;
  if (f.grade && r.grade !== f.grade) return false;
  if (f.holder && r.holder !== f.holder) return false;
  if (f.status && r.status !== f.status) return false;
  if (f.q) {
    const q = f.q.toLowerCase();
    const text = `${r.catalogueUri} ${r.kind} ${r.domain} ${r.category} ${r.catalogueHash}`.toLowerCase();
    if (!text.includes(q)) return false;
  }
  return true;
}

export async function listResources(db: IndexDb, caller: Caller | null, filter: ResourceFilter, pageReq: { cursor?: string; limit: number }) {
  const rec = records(db);
  // With a holder filter, walk that holder's index instead of the whole catalogue.
  const prefix = filter.holder ? `resby:${filter.holder}:` : "res:";
  return pageOf(db, prefix, pageReq, async (_key, value) => {
    const r = filter.holder ? await rec.resource(BigInt(value)) : (JSON.parse(value) as ResourceRecord);
    if (!r || !matches(r, filter) || !(await canReadResource(rec, caller, r))) return undefined;
    return (await isResourceParty(rec, caller, r)) ? detailView(r) : catalogueView(r);
  });
}

async function visibleResource(db: IndexDb, caller: Caller | null, id: bigint): Promise<ResourceRecord> {
  const rec = records(db);
  const r = await rec.resource(id);
  // Not found and not visible answer alike, so ids cannot be probed.
  if (!r || !(await canReadResource(rec, caller, r))) throw notFound(`resource ${id}`);
  return r;
}

export async function getResource(db: IndexDb, caller: Caller | null, id: bigint) {
  const r = await visibleResource(db, caller, id);
  return (await isResourceParty(records(db), caller, r)) ? detailView(r) : catalogueView(r);
}

export async function resourceVersions(db: IndexDb, caller: Caller | null, id: bigint) {
  await visibleResource(db, caller, id);
  const out: ResourceVersion[] = [];
  for await (const [, v] of db.iterator({ gte: `resv:${K.resource(id).slice(4)}:`, lt: `resv:${K.resource(id).slice(4)}:\xff` })) out.push(JSON.parse(v) as ResourceVersion);
  return { items: out };
}

export async function resourceObjections(db: IndexDb, caller: Caller | null, id: bigint) {
  const r = await visibleResource(db, caller, id);
  if (!(await isResourceParty(records(db), caller, r))) throw notFound(`resource ${id}`);
  const out: ObjectionRecord[] = [];
  for await (const [, v] of db.iterator({ gte: `obj:${K.resource(id).slice(4)}:`, lt: `obj:${K.resource(id).slice(4)}:\xff` })) out.push(JSON.parse(v) as ObjectionRecord);
  return { items: out };
}

/** Who holds which right over a resource now: the holder, and every grant valid now with its chain. */
export async function resourceRights(db: IndexDb, caller: Caller | null, id: bigint, limit = 200) {
  const r = await visibleResource(db, caller, id);
  if (!(await isResourceParty(records(db), caller, r))) throw notFound(`resource ${id}`);
  const rec = records(db);
  const at = await latestPoint(db);
  const grants: { grant: GrantRecord; chain: string[]; validity: GrantValidity }[] = [];
  const prefix = K.grantsBySubject(SubjectKind.Resource, id, 0n).slice(0, -20);
  let truncated = false;
  for await (const [, v] of db.iterator({ gte: prefix, lt: prefix + "\xff" })) {
    const g = await rec.grant(BigInt(v));
    if (!g) continue;
    const validity = await grantValidityAt(db, BigInt(g.id), at);
    if (!validity.valid) continue;
    if (grants.length >= limit) {
      truncated = true;
      break;
    }
    grants.push({ grant: g, chain: [...g.ancestry, g.id], validity });
  }
  return { resourceId: r.id, at, holding: { holder: r.holder, since: r.updated }, grants, truncated };
}
