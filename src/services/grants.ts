import { SubjectKind } from "../domain/enums.js";
import type { GrantRecord } from "../indexer/records.js";
import type { Caller } from "../api/route.js";
import { ApiError, notFound } from "../api/errors.js";
import { pageOf } from "../api/pagination.js";
import type { IndexDb } from "../store/db.js";
import { K, id20 } from "../store/keys.js";
import { records } from "../store/repositories/records.js";
import { grantValidityAt, type ChainPoint } from "../queries/grant-validity.js";
import { canReadGrant } from "./visibility.js";
import { latestPoint, pointAtBlock, pointAtTime } from "./time.js";
import { Budget, productsOver } from "./impact.js";
import { listingsAndTrades } from "./market-impact.js";

async function visibleGrant(db: IndexDb, caller: Caller | null, id: bigint): Promise<GrantRecord> {
  const rec = records(db);
  const g = await rec.grant(id);
  if (!g || !(await canReadGrant(rec, caller, g))) throw notFound(`grant ${id}`);
  return g;
}

/** A grant with its chain (root first), each link with its validity now. */
export async function getGrant(db: IndexDb, caller: Caller | null, id: bigint) {
  const g = await visibleGrant(db, caller, id);
  const rec = records(db);
  const at = await latestPoint(db);
  const chain = [];
  for (const linkId of [...g.ancestry, g.id]) {
    const link = linkId === g.id ? g : await rec.grant(BigInt(linkId));
    if (link) chain.push({ ...link, validity: await grantValidityAt(db, BigInt(link.id), at, link) });
  }
  return { grant: g, validity: chain[chain.length - 1]!.validity, chain, at };
}

/** Validity now, at a past block, or at a time; with the reason and the link where it fails. */
export async function grantValidity(db: IndexDb, caller: Caller | null, id: bigint, when: { block?: number; time?: number }) {
  const g = await visibleGrant(db, caller, id);
  if (when.block !== undefined && when.time !== undefined) throw new ApiError("VALIDATION", "give block or time, not both");
  const latest = await latestPoint(db);
  let at: ChainPoint;
  if (when.block !== undefined) {
    if (when.block > latest.block) throw new ApiError("VALIDATION", `block ${when.block} is not indexed yet (checkpoint ${latest.block})`);
    at = await pointAtBlock(db, when.block);
  } else if (when.time !== undefined) {
    at = await pointAtTime(db, when.time);
  } else {
    at = latest;
  }
  return { grantId: id.toString(), at, ...(await grantValidityAt(db, id, at, g)) };
}

export type GrantRole = "grantee" | "grantor";

/** The grants a member received or gave (a regulator may name any member). */
export async function listGrants(db: IndexDb, caller: Caller, q: { member?: string; role: GrantRole; resourceId?: bigint }, pageReq: { cursor?: string; limit: number }) {
  const rec = records(db);
  if (q.resourceId !== undefined) {
    const prefix = K.grantsBySubject(SubjectKind.Resource, q.resourceId, 0n).slice(0, -20);
    return pageOf(db, prefix, pageReq, async (_k, v) => {
      const g = await rec.grant(BigInt(v));
      return g && (await canReadGrant(rec, caller, g)) ? g : undefined;
    });
  }
  const member = q.member ?? caller.address;
  if (member !== caller.address && !caller.isRegulator) throw notFound(`grants of ${member}`);
  const prefix = `${q.role === "grantee" ? "gto" : "gfrom"}:${member}:`;
  return pageOf(db, prefix, pageReq, async (_k, v) => rec.grant(BigInt(v)));
}

/**
 * What revoking or freezing `id` would make invalid: every grant below it (depth-first, bounded), each with
 * whether it is valid now (so already-invalid ones are told apart); the products resting on it or on a grant below
 * (down the lineage); the active listings of those products or listed under it, and their open trades.
 */
export async function grantImpact(db: IndexDb, caller: Caller | null, id: bigint, limit = 1_000) {
  const g = await visibleGrant(db, caller, id);
  const at = await latestPoint(db);
  const affected: { id: string; parentId: string; grantee: string; validNow: boolean }[] = [];
  const stack = [g.id];
  let truncated = false;
  while (stack.length > 0) {
    const parent = stack.pop()!;
    for await (const [, child] of db.iterator({ gte: `gchild:${id20(BigInt(parent))}:`, lt: `gchild:${id20(BigInt(parent))}:\xff` })) {
      if (affected.length >= limit) {
        truncated = true;
        break;
      }
      const c = await records(db).grant(BigInt(child));
      if (!c) continue;
      affected.push({ id: c.id, parentId: c.parentId, grantee: c.grantee, validNow: (await grantValidityAt(db, BigInt(c.id), at)).valid });
      stack.push(c.id);
    }
  }
  if (truncated) return { grantId: g.id, at, grants: affected, products: [], listings: [], trades: [], truncated };
  // The products resting on the grant or one below it, down the lineage, and the listings and open trades those stop.
  const ended: GrantRecord[] = [g];
  for (const a of affected) {
    const r = await records(db).grant(BigInt(a.id));
    if (r) ended.push(r);
  }
  const budget = new Budget(limit);
  const products = await productsOver(db, caller, ended, budget);
  const market = budget.truncated ? { listings: [], trades: [] } : await listingsAndTrades(db, caller, products.map((p) => p.id), ended, budget);
  return { grantId: g.id, at, grants: affected, products, ...market, truncated: budget.truncated };
}
