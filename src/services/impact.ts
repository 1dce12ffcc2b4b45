import { SubjectKind } from "../domain/enums.js";
import { subjectKey } from "../domain/trace.js";
import type { GrantRecord, ProductRecord } from "../indexer/records.js";
import type { Caller } from "../api/route.js";
import type { IndexDb } from "../store/db.js";
import { K, id20 } from "../store/keys.js";
import { getJson } from "../queries/history.js";
import { records } from "../store/repositories/records.js";
import { grantValidityAt, type ChainPoint } from "../queries/grant-validity.js";
import { canReadProduct } from "./products.js";
import { listingsAndTrades } from "./market-impact.js";

/**
 * Impact analysis of a condition: what exiting an operation authorization or withdrawing a consent would make
 * invalid. Grants below an ended grant fail with it (validity walks to the root);
 * products whose input right is one of those grants, and products made from those products, rest on them; the
 * active listings of those products (and those listed under an affected grant) and their open trades stop with them.
 * Every walk is bounded by `limit` entries and says when it stopped early.
 */

export interface ImpactGrant {
  id: string;
  parentId: string;
  grantee: string;
  /** Valid now (so grants that are already invalid are told apart). */
  validNow: boolean;
}

export interface ImpactProduct {
  id: string;
  /** Null when the caller may not read the product (it is listed by id only). */
  holder: string | null;
  /** The affected grant the product's input rests on, or the affected product it was made from. */
  inputGrantId: string | null;
  fromProductId: string | null;
  visible: boolean;
}

/** A walk's budget: every grant, product, listing or trade read counts, so a large tree cannot turn a request into a full scan. */
export class Budget {
  used = 0;
  truncated = false;
  constructor(readonly limit: number) {}
  take(): boolean {
    if (this.used >= this.limit) {
      this.truncated = true;
      return false;
    }
    this.used++;
    return true;
  }
}

/** The grants below each of `parents` (depth-first), each with its validity at `at`. */
async function grantsBelow(db: IndexDb, parents: readonly string[], at: ChainPoint, budget: Budget): Promise<ImpactGrant[]> {
  const out: ImpactGrant[] = [];
  const stack = [...parents];
  const rec = records(db);
  while (stack.length > 0 && !budget.truncated) {
    const parent = stack.pop()!;
    const prefix = `gchild:${id20(BigInt(parent))}:`;
    for await (const [, child] of db.iterator({ gte: prefix, lt: prefix + "\xff" })) {
      if (!budget.take()) break;
      const c = await rec.grant(BigInt(child));
      if (!c) continue;
      out.push(await impactGrant(db, c, at));
      stack.push(c.id);
    }
  }
  return out;
}

const impactGrant = async (db: IndexDb, g: GrantRecord, at: ChainPoint): Promise<ImpactGrant> => ({
  id: g.id,
  parentId: g.parentId,
  grantee: g.grantee,
  validNow: (await grantValidityAt(db, BigInt(g.id), at)).valid,
});

/** Products resting on the affected grants, then every product made from those (breadth first). */
export async function productsOver(db: IndexDb, caller: Caller | null, grants: readonly GrantRecord[], budget: Budget): Promise<ImpactProduct[]> {
  const out: ImpactProduct[] = [];
  const seen = new Set<string>();
  const add = async (p: ProductRecord, via: { inputGrantId: string | null; fromProductId: string | null }) => {
    seen.add(p.id);
    const visible = await canReadProduct(db, caller, p);
    out.push({ id: p.id, holder: visible ? p.holder : null, ...via, visible });
  };
  // Products take inputs over a grant's subject; only those whose input names the affected grant rest on it.
  for (const g of grants) {
    const input = subjectKey(SubjectKind[g.subjectKind as keyof typeof SubjectKind], BigInt(g.subjectId));
    for await (const [, productId] of db.iterator({ gte: `lin-down:${input}:`, lt: `lin-down:${input}:\xff` })) {
      if (seen.has(productId)) continue;
      if (!budget.take()) return out;
      const p = await getJson<ProductRecord>(db, K.product(BigInt(productId)));
      if (p && p.inputs.some((i) => i.grantId === g.id)) await add(p, { inputGrantId: g.id, fromProductId: null });
    }
  }
  // Down the lineage: products made from an affected product.
  for (let i = 0; i < out.length; i++) {
    const from = out[i]!.id;
    const key = subjectKey(SubjectKind.Product, BigInt(from));
    for await (const [, productId] of db.iterator({ gte: `lin-down:${key}:`, lt: `lin-down:${key}:\xff` })) {
      if (seen.has(productId)) continue;
      if (!budget.take()) return out;
      const p = await getJson<ProductRecord>(db, K.product(BigInt(productId)));
      if (p) await add(p, { inputGrantId: null, fromProductId: from });
    }
  }
  return out;
}

/** The impact of ending `ended` grants (those resting on an authorization or a consent): them, what is below, products. */
export async function impactOf(db: IndexDb, caller: Caller | null, ended: readonly GrantRecord[], at: ChainPoint, limit = 1_000) {
  const budget = new Budget(limit);
  const head = await Promise.all(ended.map((g) => impactGrant(db, g, at)));
  const below = await grantsBelow(db, ended.map((g) => g.id), at, budget);
  const rec = records(db);
  const affected: GrantRecord[] = [...ended];
  for (const b of below) {
    const g = await rec.grant(BigInt(b.id));
    if (g) affected.push(g);
  }
  const products = budget.truncated ? [] : await productsOver(db, caller, affected, budget);
  const market = budget.truncated ? { listings: [], trades: [] } : await listingsAndTrades(db, caller, products.map((p) => p.id), affected, budget);
  return { grants: [...head, ...below], products, ...market, truncated: budget.truncated };
}

/**
 * The root grants over `resourceIds` that rest on a condition (an operation authorization or a consent), as
 * `rests` says. Scans the grants of each resource, bounded by `limit` reads.
 */
export async function rootGrantsResting(db: IndexDb, resourceIds: readonly string[], rests: (g: GrantRecord) => boolean, limit = 10_000): Promise<{ grants: GrantRecord[]; truncated: boolean }> {
  const rec = records(db);
  const grants: GrantRecord[] = [];
  let read = 0;
  for (const r of resourceIds) {
    const prefix = K.grantsBySubject(SubjectKind.Resource, BigInt(r), 0n).slice(0, -20);
    for await (const [, id] of db.iterator({ gte: prefix, lt: prefix + "\xff" })) {
      if (++read > limit) return { grants, truncated: true };
      const g = await rec.grant(BigInt(id));
      if (g && g.parentId === "0" && rests(g)) grants.push(g);
    }
  }
  return { grants, truncated: false };
}
