import type { EntitlementRecord, TradeHistory, TradeRecord } from "../indexer/records.js";
import type { Caller } from "../api/route.js";
import { notFound } from "../api/errors.js";
import { pageOf } from "../api/pagination.js";
import type { IndexDb } from "../store/db.js";
import { K, id20 } from "../store/keys.js";
import { getJson } from "../queries/history.js";
import { canReadTrade } from "./market-visibility.js";

export interface TradeFilter {
  /** Whose trades (regulators only may name another member). */
  party?: string;
  role?: "buyer" | "seller";
  status?: string;
  listingId?: bigint;
}

/**
 * Trades: the caller's own as buyer or seller; a regulator's pick of all, one member's, or one listing's. Naming
 * another member's trades answers 404 to anyone else, as a missing member's would.
 */
export async function listTrades(db: IndexDb, caller: Caller, filter: TradeFilter, pageReq: { cursor?: string; limit: number }) {
  if (!caller.isRegulator && filter.party !== undefined && filter.party !== caller.address) throw notFound(`trades of ${filter.party}`);
  const party = caller.isRegulator ? filter.party : caller.address;
  const keep = (t: TradeRecord | undefined): TradeRecord | undefined => {
    if (!t || !canReadTrade(caller, t)) return undefined;
    if (filter.status !== undefined && t.status !== filter.status) return undefined;
    if (filter.listingId !== undefined && t.listingId !== filter.listingId.toString()) return undefined;
    // A role narrows one member's trades; over all trades it says nothing.
    if (filter.role !== undefined && party !== undefined && t[filter.role] !== party) return undefined;
    return t;
  };
  if (party !== undefined) return pageOf(db, `trdby:${party}:`, pageReq, async (k) => keep(await getJson<TradeRecord>(db, K.trade(BigInt(k.slice(-20))))));
  if (filter.listingId !== undefined) return pageOf(db, `trdof:${id20(filter.listingId)}:`, pageReq, async (_k, v) => keep(await getJson<TradeRecord>(db, K.trade(BigInt(v)))));
  return pageOf(db, "trd:", pageReq, (_k, v) => keep(JSON.parse(v) as TradeRecord));
}

/**
 * One trade with its steps (oldest first) and, once confirmed, its entitlements. Both are bounded by the contract:
 * a trade has at most four steps, and its entitlements come from the bounded lineage walk of the split.
 */
export async function getTrade(db: IndexDb, caller: Caller | null, id: bigint) {
  const t = await getJson<TradeRecord>(db, K.trade(id));
  if (!t || !canReadTrade(caller, t)) throw notFound(`trade ${id}`);
  const history: TradeHistory[] = [];
  for await (const [, v] of db.iterator({ gte: `trdh:${id20(id)}:`, lt: `trdh:${id20(id)}:\xff` })) history.push(JSON.parse(v) as TradeHistory);
  const entitlements: EntitlementRecord[] = [];
  for await (const [, v] of db.iterator({ gte: `ent:${id20(id)}:`, lt: `ent:${id20(id)}:\xff` })) entitlements.push(JSON.parse(v) as EntitlementRecord);
  return { trade: t, history, entitlements };
}

/**
 * What a party is owed: its entitlements in chain order (paged) and its totals per currency, which equal the
 * contract's `owed(party, currency)`. A member reads its own; a regulator anyone's.
 */
export async function listEntitlements(db: IndexDb, caller: Caller, party: string | undefined, pageReq: { cursor?: string; limit: number }) {
  const who = party ?? caller.address;
  if (who !== caller.address && !caller.isRegulator) throw notFound(`entitlements of ${who}`);
  const totals: { currency: string; amount: string }[] = [];
  const prefix = `owed:${who}:`;
  for await (const [k, v] of db.iterator({ gte: prefix, lt: prefix + "\xff" })) totals.push({ currency: k.slice(prefix.length), amount: v });
  const page = await pageOf(db, `entby:${who}:`, pageReq, (_k, v) => JSON.parse(v) as EntitlementRecord);
  return { party: who, totals, ...page };
}
