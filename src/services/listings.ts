import type { ListingHistory, ListingRecord } from "../indexer/records.js";
import type { Caller } from "../api/route.js";
import { notFound } from "../api/errors.js";
import { pageOf } from "../api/pagination.js";
import type { IndexDb } from "../store/db.js";
import { K, id20 } from "../store/keys.js";
import { getJson } from "../queries/history.js";
import { canReadListing } from "./market-visibility.js";

/** History steps shown with a listing, newest first (a seller may re-file its price any number of times). */
const MAX_HISTORY = 100;

export interface ListingFilter {
  productId?: bigint;
  seller?: string;
  status?: string;
}

/** The catalogue of listings, by product, seller or all; anyone sees the active ones, parties and regulators theirs. */
export async function listListings(db: IndexDb, caller: Caller | null, filter: ListingFilter, pageReq: { cursor?: string; limit: number }) {
  const prefix = filter.productId !== undefined ? `lstof:${id20(filter.productId)}:` : filter.seller !== undefined ? `lstby:${filter.seller}:` : "lst:";
  const indexed = prefix !== "lst:";
  return pageOf(db, prefix, pageReq, async (_k, v) => {
    const l = indexed ? await getJson<ListingRecord>(db, K.listing(BigInt(v))) : (JSON.parse(v) as ListingRecord);
    if (!l) return undefined;
    if (filter.seller !== undefined && l.seller !== filter.seller) return undefined;
    if (filter.status !== undefined && l.status !== filter.status) return undefined;
    return (await canReadListing(db, caller, l)) ? l : undefined;
  });
}

/** One listing with its history (listing, price filings and decisions, delisting), newest first. */
export async function getListing(db: IndexDb, caller: Caller | null, id: bigint) {
  const l = await getJson<ListingRecord>(db, K.listing(id));
  if (!l || !(await canReadListing(db, caller, l))) throw notFound(`listing ${id}`);
  const history: ListingHistory[] = [];
  const prefix = `lsth:${id20(id)}:`;
  let more = false;
  for await (const [, v] of db.iterator({ gte: prefix, lt: prefix + "\xff", reverse: true, limit: MAX_HISTORY + 1 })) {
    if (history.length === MAX_HISTORY) {
      more = true;
      break;
    }
    history.push(JSON.parse(v) as ListingHistory);
  }
  return { listing: l, history, historyTruncated: more };
}
