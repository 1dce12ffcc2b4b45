import type { Caller } from "../api/route.js";
import { notFound } from "../api/errors.js";
import { pageOf } from "../api/pagination.js";
import type { ReportHistory, ReportRecord } from "../indexer/records.js";
import { getJson } from "../queries/history.js";
import type { IndexDb } from "../store/db.js";
import { K, id20 } from "../store/keys.js";
import { canReadReport } from "./supervision-visibility.js";

export interface ReportFilter {
  status?: string;
  subject?: string;
  category?: number;
}

/** Reports: regulators all; any other member its own non-confidential reports (the index of reporters holds only those). */
export async function listReports(db: IndexDb, caller: Caller, filter: ReportFilter, pageReq: { cursor?: string; limit: number }) {
  const keep = (r: ReportRecord | undefined): ReportRecord | undefined => {
    if (!r || !canReadReport(caller, r)) return undefined;
    if (filter.status !== undefined && r.status !== filter.status) return undefined;
    if (filter.subject !== undefined && r.subject !== filter.subject) return undefined;
    if (filter.category !== undefined && r.category !== filter.category) return undefined;
    return r;
  };
  if (caller.isRegulator) return pageOf(db, "rpt:", pageReq, (_k, v) => keep(JSON.parse(v) as ReportRecord));
  return pageOf(db, `rptby:${caller.address}:`, pageReq, async (_k, v) => keep(await getJson<ReportRecord>(db, K.report(BigInt(v)))));
}

/** One report with its triage steps (at most four: filed, investigating, substantiated or dismissed). */
export async function getReport(db: IndexDb, caller: Caller | null, id: bigint) {
  const r = await getJson<ReportRecord>(db, K.report(id));
  if (!r || !canReadReport(caller, r)) throw notFound(`report ${id}`);
  const history: ReportHistory[] = [];
  for await (const [, v] of db.iterator({ gte: `rpth:${id20(id)}:`, lt: `rpth:${id20(id)}:\xff` })) history.push(JSON.parse(v) as ReportHistory);
  return { report: r, history };
}
