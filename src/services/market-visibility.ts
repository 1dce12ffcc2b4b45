import { SubjectKind } from "../domain/enums.js";
import { subjectKey } from "../domain/trace.js";
import type { ListingRecord, TradeRecord } from "../indexer/records.js";
import type { Caller } from "../api/route.js";
import type { IndexDb } from "../store/db.js";
import { records } from "../store/repositories/records.js";

/**
 * Who may read what of the market. An active listing is the public catalogue (its product passed admission to be
 * offered to anyone); a delisted one stays readable by its seller, its buyers (parties of the listing) and
 * regulators. A trade is its buyer's and seller's business, and the regulators'.
 */
export async function canReadListing(db: IndexDb, caller: Caller | null, l: ListingRecord): Promise<boolean> {
  if (l.status === "Active" || caller?.isRegulator) return true;
  if (!caller) return false;
  return l.seller === caller.address || records(db).isParty(caller.address, subjectKey(SubjectKind.Listing, BigInt(l.id)));
}

export const canReadTrade = (caller: Caller | null, t: TradeRecord): boolean =>
  caller !== null && (caller.isRegulator || t.buyer === caller.address || t.seller === caller.address);

/** A trade that has not ended: neither confirmed nor disputed. */
export const isOpenTrade = (t: TradeRecord): t is TradeRecord & { status: "Open" | "Delivered" } => t.status === "Open" || t.status === "Delivered";
