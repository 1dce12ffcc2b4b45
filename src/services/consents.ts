import { SubjectKind } from "../domain/enums.js";
import { subjectKey } from "../domain/trace.js";
import type { ConsentRecord } from "../indexer/records.js";
import type { Caller } from "../api/route.js";
import { notFound } from "../api/errors.js";
import { pageOf } from "../api/pagination.js";
import type { IndexDb } from "../store/db.js";
import { K, id20 } from "../store/keys.js";
import { getJson } from "../queries/history.js";
import { records } from "../store/repositories/records.js";
import { impactOf, rootGrantsResting } from "./impact.js";
import { latestPoint } from "./time.js";

/**
 * Regulators read every consent; the holder of the resource reads the consents on it, and so does the member that
 * recorded one (it stays a party after the resource moves on).
 */
async function canReadConsent(db: IndexDb, caller: Caller | null, c: ConsentRecord): Promise<boolean> {
  if (!caller) return false;
  if (caller.isRegulator || c.holder === caller.address) return true;
  const rec = records(db);
  if ((await rec.resource(BigInt(c.resourceId)))?.holder === caller.address) return true;
  return rec.isParty(caller.address, subjectKey(SubjectKind.Consent, BigInt(c.id)));
}

async function visibleConsent(db: IndexDb, caller: Caller | null, id: bigint): Promise<ConsentRecord> {
  const c = await getJson<ConsentRecord>(db, K.consent(id));
  if (!c || !(await canReadConsent(db, caller, c))) throw notFound(`consent ${id}`);
  return c;
}

/** Consents the caller may read, all or those on one resource. */
export async function listConsents(db: IndexDb, caller: Caller, filter: { resourceId?: bigint }, pageReq: { cursor?: string; limit: number }) {
  const byResource = filter.resourceId !== undefined;
  return pageOf(db, byResource ? `consentof:${id20(filter.resourceId!)}:` : "consent:", pageReq, async (_k, v) => {
    const c = byResource ? await getJson<ConsentRecord>(db, K.consent(BigInt(v))) : (JSON.parse(v) as ConsentRecord);
    return c && (await canReadConsent(db, caller, c)) ? c : undefined;
  });
}

interface StoredWithdrawal {
  name: string;
  block: number;
  tx: string;
  args: { by: string; withdrawn: string | number; remaining: string | number; reasonHash: string };
}

/**
 * A consent with whether it is live now and its withdrawals, oldest first. A withdrawal takes at least one of the
 * 32 purpose bits, so a consent has at most 32 of them.
 */
export async function getConsent(db: IndexDb, caller: Caller | null, id: bigint) {
  const c = await visibleConsent(db, caller, id);
  const at = await latestPoint(db);
  const rec = records(db);
  const withdrawals = [];
  const prefix = `consenth:${id20(id)}:`;
  for await (const [key] of db.iterator({ gte: prefix, lt: prefix + "\xff" })) {
    const cp = key.slice(prefix.length);
    const e = await getJson<StoredWithdrawal>(db, K.event(cp));
    if (e?.name !== "ConsentWithdrawn") continue;
    withdrawals.push({
      by: e.args.by.toLowerCase(),
      withdrawn: Number(e.args.withdrawn),
      remaining: Number(e.args.remaining),
      reasonHash: e.args.reasonHash,
      at: { block: e.block, time: (await rec.blockTime(e.block)) ?? 0, cp, tx: e.tx },
    });
  }
  return { consent: c, live: c.purposes !== 0 && at.time < c.expiry, at, withdrawals };
}

/**
 * What withdrawing the consent would make invalid: the root grants over its resource resting on it, every grant
 * below those, and the products built on them (down the lineage).
 */
export async function consentImpact(db: IndexDb, caller: Caller | null, id: bigint) {
  const c = await visibleConsent(db, caller, id);
  const at = await latestPoint(db);
  const resting = await rootGrantsResting(db, [c.resourceId], (g) => g.consentId === c.id);
  const impact = await impactOf(db, caller, resting.grants, at);
  return { consentId: c.id, at, ...impact, truncated: impact.truncated || resting.truncated };
}
