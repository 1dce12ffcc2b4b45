import type { Caller } from "../api/route.js";
import { SubjectKind } from "../domain/enums.js";
import { subjectKey } from "../domain/trace.js";
import type { DisputeRecord, ReportRecord } from "../indexer/records.js";
import { getRaw } from "../queries/history.js";
import type { IndexDb } from "../store/db.js";
import { K } from "../store/keys.js";

/**
 * Who reads supervision records. Regulators read every report and dispute. A reporter reads its own reports unless
 * they are confidential (a confidential report names no reporter; its relay reads it only as a regulator). The
 * claimant, the respondent and the arbiters assigned (first instance and appeal) read a dispute.
 */
export function canReadReport(caller: Caller | null, r: ReportRecord): boolean {
  if (!caller) return false;
  return caller.isRegulator || (!r.confidential && r.reporter === caller.address);
}

export function canReadDispute(db: IndexDb, caller: Caller | null, d: DisputeRecord): boolean {
  if (!caller) return false;
  if (caller.isRegulator) return true;
  return getRaw(db, K.party(caller.address, subjectKey(SubjectKind.Dispute, BigInt(d.id)))) !== undefined;
}
