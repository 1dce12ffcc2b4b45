import { SubjectKind } from "../domain/enums.js";
import type { Caller } from "../api/route.js";
import type { IndexDb } from "../store/db.js";
import { records } from "../store/repositories/records.js";
import type { DisputeRecord, ListingRecord, RatingRecord, ReportRecord, TradeRecord } from "../indexer/records.js";
import { canReadDispute, canReadReport } from "./supervision-visibility.js";
import { getJson } from "../queries/history.js";
import { K } from "../store/keys.js";
import { canReadListing, canReadTrade } from "./market-visibility.js";
import { canReadGrant, canReadResource } from "./visibility.js";
import type { DocumentMeta } from "./documents.js";

/**
 * Whether `caller` may download a document: its uploader, a regulator, or whoever may read a subject that cites
 * its hash on-chain (a resource's catalogue, a grant's terms, an objection's evidence, a listing's licence terms, a
 * trade's delivery or dispute reason, a rating's report). Scans at most `limit`
 * citing subjects.
 */
export async function canReadDocument(db: IndexDb, caller: Caller, meta: DocumentMeta, limit = 100): Promise<boolean> {
  if (caller.isRegulator || meta.uploader === caller.address) return true;
  const rec = records(db);
  let seen = 0;
  const prefix = `docref:${meta.hash.toLowerCase()}:`;
  for await (const key of db.keys({ gte: prefix, lt: prefix + "\xff" })) {
    if (++seen > limit) break;
    const subject = BigInt(key.slice(prefix.length));
    const kind = Number(subject >> 248n);
    const id = subject & ((1n << 248n) - 1n);
    if (kind === SubjectKind.Resource) {
      const r = await rec.resource(id);
      if (r && (await canReadResource(rec, caller, r))) return true;
    } else if (kind === SubjectKind.Grant) {
      const g = await rec.grant(id);
      if (g && (await canReadGrant(rec, caller, g))) return true;
    } else if (kind === SubjectKind.Listing) {
      const l = await getJson<ListingRecord>(db, K.listing(id));
      if (l && (await canReadListing(db, caller, l))) return true;
    } else if (kind === SubjectKind.Trade) {
      const t = await getJson<TradeRecord>(db, K.trade(id));
      if (t && canReadTrade(caller, t)) return true;
    } else if (kind === SubjectKind.Report) {
      const r = await getJson<ReportRecord>(db, K.report(id));
      if (r && canReadReport(caller, r)) return true;
    } else if (kind === SubjectKind.Dispute) {
      // A dispute's claim, evidence from either side, rulings and grounds: for its parties and arbiters.
      const d = await getJson<DisputeRecord>(db, K.dispute(id));
      if (d && canReadDispute(db, caller, d)) return true;
    } else if (kind === SubjectKind.Rating) {
      // Rating reports are for members, as the ratings are.
      if (await getJson<RatingRecord>(db, K.rating(id))) return true;
    }
  }
  return false;
}
