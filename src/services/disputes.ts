import type { Caller } from "../api/route.js";
import { notFound } from "../api/errors.js";
import { pageOf } from "../api/pagination.js";
import type { DisputeHistory, DisputeRecord, EvidenceRecord, SanctionRecord } from "../indexer/records.js";
import { SubjectKind } from "../domain/enums.js";
import { subjectKey } from "../domain/trace.js";
import { getJson } from "../queries/history.js";
import type { IndexDb } from "../store/db.js";
import { K, id20 } from "../store/keys.js";
import { canReadDispute } from "./supervision-visibility.js";

export interface DisputeFilter {
  status?: string;
  /** Regulators only: the disputes `party` is claimant, respondent or arbiter of. */
  party?: string;
}

/**
 * Disputes: regulators all (or one member's with party=); any other member those it is a party to or assigned to
 * as arbiter. Naming another member answers 404 to a non-regulator, as a missing member would.
 */
export async function listDisputes(db: IndexDb, caller: Caller, filter: DisputeFilter, pageReq: { cursor?: string; limit: number }) {
  if (!caller.isRegulator && filter.party !== undefined && filter.party !== caller.address) throw notFound(`disputes of ${filter.party}`);
  const keep = (d: DisputeRecord | undefined): DisputeRecord | undefined => {
    if (!d || !canReadDispute(db, caller, d)) return undefined;
    if (filter.status !== undefined && d.status !== filter.status) return undefined;
    return d;
  };
  const who = caller.isRegulator ? filter.party : caller.address;
  if (who === undefined) return pageOf(db, "dsp:", pageReq, (_k, v) => keep(JSON.parse(v) as DisputeRecord));
  return pageOf(db, `dspby:${who}:`, pageReq, async (k) => keep(await getJson<DisputeRecord>(db, K.dispute(BigInt(k.slice(-20))))));
}

/** Bound on the evidence rows served with a dispute (the newest are kept; evidenceCount says how many there are). */
const EVIDENCE_LIMIT = 200;

/**
 * One dispute: parties, subjects, claim, arbiters, rulings with outcomes, appeal, execution, compensation and
 * interim freezes (in the record), its evidence (oldest first, at most 200), its steps, and the sanctions it caused.
 */
export async function getDispute(db: IndexDb, caller: Caller | null, id: bigint) {
  const d = await getJson<DisputeRecord>(db, K.dispute(id));
  if (!d || !canReadDispute(db, caller, d)) throw notFound(`dispute ${id}`);
  const evidence: EvidenceRecord[] = [];
  for await (const [, v] of db.iterator({ gte: `dspev:${id20(id)}:`, lt: `dspev:${id20(id)}:\xff`, reverse: true, limit: EVIDENCE_LIMIT })) evidence.unshift(JSON.parse(v) as EvidenceRecord);
  const history: DisputeHistory[] = [];
  for await (const [, v] of db.iterator({ gte: `dsph:${id20(id)}:`, lt: `dsph:${id20(id)}:\xff`, reverse: true, limit: EVIDENCE_LIMIT })) history.unshift(JSON.parse(v) as DisputeHistory);
  const sanctions: SanctionRecord[] = [];
  const cause = subjectKey(SubjectKind.Dispute, id);
  for await (const [, v] of db.iterator({ gte: `snccause:${cause}:`, lt: `snccause:${cause}:\xff`, limit: EVIDENCE_LIMIT })) {
    const s = await getJson<SanctionRecord>(db, K.sanction(BigInt(v)));
    if (s) sanctions.push(s);
  }
  return { dispute: d, evidence, evidenceTruncated: d.evidenceCount > evidence.length, history, sanctions };
}
