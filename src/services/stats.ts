import type { IndexDb } from "../store/db.js";

export const STAT_DIMENSIONS = [
  "resources.domain",
  "resources.category",
  "resources.grade",
  "grants.right",
  "rights.transferred",
  "members",
  "products.domain",
  "operations.authorized",
  "consents.subjects",
  "listings.domain",
  "ratings.kind",
  /** Trades opened, by the product's domain and by kind (Purchase, Procurement). */
  "trades.domain",
  "trades.kind",
  /** Amounts in the currency's minor unit, by "<domain>/<currency>": of trades opened, and of trades confirmed. */
  "trades.amount",
  "trades.confirmed",
  /** Supervision: reports filed by category, disputes opened, sanctions applied by kind. */
  "reports.category",
  "disputes.opened",
  "sanctions.kind",
] as const;

/** Statistics for regulators (统计核算): counts (or amounts) per dimension value and month, within [from, to] months. */
export async function getStats(db: IndexDb, q: { dimension: string; from?: string; to?: string }) {
  const rows: { value: string; month: string; count: string }[] = [];
  const totals: Record<string, string> = {};
  for await (const [key, v] of db.iterator({ gte: `stat:${q.dimension}:`, lt: `stat:${q.dimension}:\xff` })) {
    const rest = key.slice(`stat:${q.dimension}:`.length);
    const month = rest.slice(rest.lastIndexOf(":") + 1);
    const value = rest.slice(0, rest.lastIndexOf(":"));
    if ((q.from && month < q.from) || (q.to && month > q.to)) continue;
    rows.push({ value, month, count: v });
    totals[value] = (BigInt(totals[value] ?? "0") + BigInt(v)).toString();
  }
  return { dimension: q.dimension, from: q.from ?? null, to: q.to ?? null, rows, totals };
}
