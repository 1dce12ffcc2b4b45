import { SubjectKind } from "../domain/enums.js";
import { subjectKey } from "../domain/trace.js";
import type { AuthorizationRecord, EvaluationRecord } from "../indexer/records.js";
import type { Caller } from "../api/route.js";
import { notFound } from "../api/errors.js";
import { pageOf } from "../api/pagination.js";
import type { IndexDb } from "../store/db.js";
import { K, id20 } from "../store/keys.js";
import { getJson } from "../queries/history.js";
import type { ChainPoint } from "../queries/grant-validity.js";
import { records } from "../store/repositories/records.js";
import { impactOf, rootGrantsResting } from "./impact.js";
import { latestPoint } from "./time.js";
import { canReadResource } from "./visibility.js";

/** Evaluations shown with an authorization, newest first (the record counts them all). */
const MAX_EVALUATIONS = 100;

/** Regulators read every operation authorization; an operator reads its own (it is their party). */
async function canReadAuthorization(db: IndexDb, caller: Caller | null, a: AuthorizationRecord): Promise<boolean> {
  if (!caller) return false;
  if (caller.isRegulator || a.operator === caller.address) return true;
  return records(db).isParty(caller.address, subjectKey(SubjectKind.OperationAuthorization, BigInt(a.id)));
}

async function visibleAuthorization(db: IndexDb, caller: Caller | null, id: bigint): Promise<AuthorizationRecord> {
  const a = await getJson<AuthorizationRecord>(db, K.authorization(id));
  if (!a || !(await canReadAuthorization(db, caller, a))) throw notFound(`operation authorization ${id}`);
  return a;
}

/** OperationRegistry.isAuthorizationValid now: not exited, inside its term, its operator an active member. */
async function inForce(db: IndexDb, a: AuthorizationRecord, at: ChainPoint): Promise<boolean> {
  if (a.status !== "Active" || at.time < a.validFrom || at.time >= a.validUntil) return false;
  return (await records(db).member(a.operator))?.status === "Active";
}

const view = (a: AuthorizationRecord) => ({ ...a, exit: a.exit ?? null });

/** Authorizations, filtered by operator and status: a regulator's pick of all, anyone else's own. */
export async function listOperations(db: IndexDb, caller: Caller, filter: { operator?: string; status?: string }, pageReq: { cursor?: string; limit: number }) {
  if (!caller.isRegulator && filter.operator !== undefined && filter.operator !== caller.address) throw notFound(`operation authorizations of ${filter.operator}`);
  const operator = caller.isRegulator ? filter.operator : caller.address;
  const byOperator = operator !== undefined;
  return pageOf(db, byOperator ? `authby:${operator}:` : "auth:", pageReq, async (_k, v) => {
    const a = byOperator ? await getJson<AuthorizationRecord>(db, K.authorization(BigInt(v))) : (JSON.parse(v) as AuthorizationRecord);
    if (!a || (filter.status && a.status !== filter.status)) return undefined;
    return view(a);
  });
}

/** One authorization, whether it is in force now, its covered resources and its newest evaluations. */
export async function getOperation(db: IndexDb, caller: Caller | null, id: bigint) {
  const a = await visibleAuthorization(db, caller, id);
  const at = await latestPoint(db);
  const rec = records(db);
  const resources = [];
  for (const rid of a.resourceIds) {
    const r = await rec.resource(BigInt(rid));
    if (r && (await canReadResource(rec, caller, r))) resources.push({ id: r.id, holder: r.holder, kind: r.kind, category: r.category, grade: r.grade, domain: r.domain, status: r.status, frozen: r.frozen, visible: true });
    else resources.push({ id: rid, holder: null, kind: null, category: null, grade: null, domain: null, status: null, frozen: null, visible: false });
  }
  const evaluations: EvaluationRecord[] = [];
  const prefix = `eval:${id20(id)}:`;
  for await (const [, v] of db.iterator({ gte: prefix, lt: prefix + "\xff", reverse: true, limit: MAX_EVALUATIONS })) evaluations.push(JSON.parse(v) as EvaluationRecord);
  return { authorization: view(a), inForce: await inForce(db, a, at), at, resources, evaluations, evaluationsTruncated: a.evaluations > evaluations.length };
}

/**
 * What an exit of the authorization would make invalid: the root grants over its resources resting on it, every
 * grant below those, and the products built on them (down the lineage).
 */
export async function operationImpact(db: IndexDb, caller: Caller | null, id: bigint) {
  const a = await visibleAuthorization(db, caller, id);
  const at = await latestPoint(db);
  const resting = await rootGrantsResting(db, a.resourceIds, (g) => g.authorizationId === a.id);
  const impact = await impactOf(db, caller, resting.grants, at);
  return { authorizationId: a.id, at, ...impact, truncated: impact.truncated || resting.truncated };
}
