import type { GrantRecord, ListingRecord, TradeRecord } from "../indexer/records.js";
import type { Caller } from "../api/route.js";
import type { IndexDb } from "../store/db.js";
import { K, id20 } from "../store/keys.js";
import { getJson } from "../queries/history.js";
import { canReadTrade, isOpenTrade } from "./market-visibility.js";

/**
 * The market side of an impact analysis: the active listings a revocation, freeze or exit would stop (a purchase
 * re-checks the seller's right and every input grant along the lineage, so the chain refuses new trades on them),
 * and the open trades on those listings. The contract does not re-check an open trade's delivery or receipt, so
 * open trades are listed for follow-up, not as trades the chain would refuse.
 */

export interface ImpactListing {
  id: string;
  productId: string;
  seller: string;
  priceStatus: string;
  /** Why it is listed: it lists an affected product, or it is listed under an affected product-operation grant. */
  viaProductId: string | null;
  authorityGrantId: string | null;
}

export interface ImpactTrade {
  id: string;
  listingId: string;
  status: "Open" | "Delivered";
  /** Parties and amount are shown to the trade's parties and regulators only. */
  visible: boolean;
  buyer: string | null;
  seller: string | null;
  amount: string | null;
  currency: string | null;
}

/** Every listing and trade read counts against the analysis' budget. */
export interface WalkBudget {
  take(): boolean;
  readonly truncated: boolean;
}

export async function listingsAndTrades(
  db: IndexDb,
  caller: Caller | null,
  productIds: readonly string[],
  grants: readonly GrantRecord[],
  budget: WalkBudget,
): Promise<{ listings: ImpactListing[]; trades: ImpactTrade[] }> {
  const listings: ImpactListing[] = [];
  const trades: ImpactTrade[] = [];
  const seen = new Set<string>();
  const listingsOf = async function* (productId: string) {
    const prefix = `lstof:${id20(BigInt(productId))}:`;
    for await (const [, id] of db.iterator({ gte: prefix, lt: prefix + "\xff" })) {
      if (seen.has(id)) continue;
      if (!budget.take()) return;
      const l = await getJson<ListingRecord>(db, K.listing(BigInt(id)));
      if (l && l.status === "Active") yield l;
    }
  };
  const add = (l: ListingRecord, via: { viaProductId: string | null; authorityGrantId: string | null }) => {
    seen.add(l.id);
    listings.push({ id: l.id, productId: l.productId, seller: l.seller, priceStatus: l.priceStatus, ...via });
  };
  for (const p of productIds) for await (const l of listingsOf(p)) add(l, { viaProductId: p, authorityGrantId: null });
  // A listing made under a product-operation grant stops with that grant (the seller's right is re-checked).
  for (const g of grants) {
    if (g.subjectKind !== "Product" || g.rightType !== "ProductOperation") continue;
    for await (const l of listingsOf(g.subjectId)) if (l.authorityGrantId === g.id) add(l, { viaProductId: null, authorityGrantId: g.id });
  }
  for (const l of listings) {
    const prefix = `trdof:${id20(BigInt(l.id))}:`;
    for await (const [, id] of db.iterator({ gte: prefix, lt: prefix + "\xff" })) {
      if (!budget.take()) return { listings, trades };
      const t = await getJson<TradeRecord>(db, K.trade(BigInt(id)));
      if (!t || !isOpenTrade(t)) continue;
      const visible = canReadTrade(caller, t);
      trades.push({
        id: t.id,
        listingId: t.listingId,
        status: t.status,
        visible,
        buyer: visible ? t.buyer : null,
        seller: visible ? t.seller : null,
        amount: visible ? t.amount : null,
        currency: visible ? t.currency : null,
      });
    }
  }
  return { listings, trades };
}
