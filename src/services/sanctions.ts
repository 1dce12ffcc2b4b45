import type { Caller } from "../api/route.js";
import { ApiError } from "../api/errors.js";
import { pageOf } from "../api/pagination.js";
import type { SanctionRecord, SevereProposalRecord } from "../indexer/records.js";
import { getJson } from "../queries/history.js";
import type { IndexDb } from "../store/db.js";
import { K } from "../store/keys.js";

/** Sanctions (regulators only; the route's audience): all, or those on one subject, or those one report or dispute caused. */
export async function listSanctions(db: IndexDb, filter: { subject?: string; cause?: string; lifted?: boolean }, pageReq: { cursor?: string; limit: number }) {
  const keep = (s: SanctionRecord | undefined): SanctionRecord | undefined => {
    if (!s) return undefined;
    if (filter.subject !== undefined && s.subject !== filter.subject) return undefined;
    if (filter.cause !== undefined && s.cause !== filter.cause) return undefined;
    if (filter.lifted !== undefined && (s.lifted !== null) !== filter.lifted) return undefined;
    return s;
  };
  const byId = async (_k: string, v: string) => keep(await getJson<SanctionRecord>(db, K.sanction(BigInt(v))));
  if (filter.subject !== undefined) return pageOf(db, `sncsub:${filter.subject}:`, pageReq, byId);
  if (filter.cause !== undefined) return pageOf(db, `snccause:${filter.cause}:`, pageReq, byId);
  return pageOf(db, "snc:", pageReq, (_k, v) => keep(JSON.parse(v) as SanctionRecord));
}

/** Severe-action proposals, for regulators and arbiters (who propose and approve them). */
export async function listSevereProposals(db: IndexDb, caller: Caller, filter: { status?: string; kind?: string }, pageReq: { cursor?: string; limit: number }) {
  if (!caller.isRegulator && !caller.roles.includes("ARBITER")) throw new ApiError("FORBIDDEN", "severe-action proposals are for regulators and arbiters");
  return pageOf(db, "svr:", pageReq, (_k, v) => {
    const p = JSON.parse(v) as SevereProposalRecord;
    if (filter.status !== undefined && p.status !== filter.status) return undefined;
    if (filter.kind !== undefined && p.kind !== filter.kind) return undefined;
    return p;
  });
}
