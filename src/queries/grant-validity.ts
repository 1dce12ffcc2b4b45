import { Invalidity } from "../domain/enums.js";
import type { IndexDb } from "../store/db.js";
import { K } from "../store/keys.js";
import type { AuthorizationHistory, AuthorizationRecord, ConsentHistory, ConsentRecord, GrantHistory, GrantRecord, MemberHistory, MemberRecord, ProductHistory, ResourceHistory, ResourceRecord } from "../indexer/records.js";
import { getJson, latestAt } from "./history.js";

export type InvalidityName = keyof typeof Invalidity;

export interface GrantValidity {
  valid: boolean;
  reason: InvalidityName;
  /** The grant in the chain where the walk stopped ("0" when valid). */
  atGrant: string;
}

/** A point in the chain's history: the state after every event of `block`, judged at time `time`. */
export interface ChainPoint {
  block: number;
  time: number;
}

const result = (reason: InvalidityName, atGrant: string): GrantValidity => ({ valid: reason === "None", reason, atGrant });

/**
 * Whether grant `grantId` was valid at `at`, by the rules of GrantRegistry._validity, from the indexed histories:
 * walk from the grant to its root; each link must exist by then and be unrevoked, unfrozen, inside its window, with
 * an active grantee; at the root the grantor is active and the subject is not cancelled, frozen, under objection
 * or core grade. The same answer the contract gives for a call at that block. `record`: the grant's record, when
 * the caller holds it.
 */
export async function grantValidityAt(db: IndexDb, grantId: bigint, at: ChainPoint, record?: GrantRecord): Promise<GrantValidity> {
  let id = grantId;
  // A chain is at most MAX_DEPTH + 1 = 9 grants long (depth strictly decreases).
  for (let i = 0; i < 9; i++) {
    // The caller may have read the grant itself already (to decide who may see it): not read and parsed twice.
    const g = i === 0 && record?.id === grantId.toString() ? record : getJson<GrantRecord>(db, K.grant(id));
    if (!g || g.issued.block > at.block) return result("Unknown", id.toString());
    const h = await stateAt<GrantHistory>(db, K.grantHistory(id, ""), at.block, g);
    if (h?.revoked) return result("Revoked", g.id);
    if (h?.frozen) return result("Frozen", g.id);
    if (at.time < g.scope.validFrom) return result("NotYetValid", g.id);
    if (at.time >= g.scope.validUntil) return result("Expired", g.id);
    if (!(await memberActiveAt(db, g.grantee, at.block))) return result("GranteeInactive", g.id);
    if (g.parentId !== "0") {
      id = BigInt(g.parentId);
      continue;
    }
    if (!(await memberActiveAt(db, g.grantor, at.block))) return result("GrantorInactive", g.id);
    const subject = BigInt(g.subjectId);
    if (g.subjectKind === "Product") {
      // ProductRegistry.subjectState: cancelled, frozen; never under objection or core grade.
      const p = await latestAt<ProductHistory>(db, K.productHistory(subject, ""), at.block);
      if (!p) return result("Unknown", g.id);
      if (p.cancelled) return result("SubjectCancelled", g.id);
      if (p.frozen) return result("SubjectFrozen", g.id);
      return result("None", "0");
    }
    if (g.subjectKind !== "Resource") return result("Unknown", g.id);
    const r = await getJson<ResourceRecord>(db, K.resource(subject));
    const s = await stateAt<ResourceHistory>(db, K.resourceHistory(subject, ""), at.block, r);
    if (!s || !r) return result("Unknown", g.id);
    if (s.status === "Cancelled") return result("SubjectCancelled", g.id);
    if (s.frozen) return result("SubjectFrozen", g.id);
    if (s.status === "UnderObjection") return result("SubjectUnderObjection", g.id);
    if (r.grade === "Core") return result("SubjectNotCirculable", g.id);
    if (g.authorizationId !== "0" && !(await authorizationValidAt(db, BigInt(g.authorizationId), at))) return result("AuthorizationEnded", g.id);
    if (g.consentId !== "0" && !(await consentCoversAt(db, BigInt(g.consentId), g.scope.purposes, at))) return result("ConsentWithdrawn", g.id);
    return result("None", "0");
  }
  return result("Unknown", id.toString());
}

/**
 * The state the latest history entry at or before `block` records. The indexer writes every history entry together
 * with the record, in the same event, and stamps the record `updated`; so a record last updated at or before
 * `block` holds that state itself (a history entry's fields are the record's), and only an older point needs the
 * history (its index and an entry: two point reads).
 */
async function stateAt<H>(db: IndexDb, prefix: string, block: number, record: (H & { updated: { block: number } }) | undefined): Promise<H | undefined> {
  if (record && record.updated.block <= block) return record;
  return latestAt<H>(db, prefix, block);
}

async function memberActiveAt(db: IndexDb, account: string, block: number): Promise<boolean> {
  const m = await getJson<MemberRecord>(db, K.member(account));
  const h = await stateAt<MemberHistory>(db, K.memberHistory(account, ""), block, m);
  return h?.status === "Active";
}

/** OperationRegistry.isAuthorizationValid at a past point: not exited, inside its term, its operator active. */
async function authorizationValidAt(db: IndexDb, id: bigint, at: ChainPoint): Promise<boolean> {
  const a = await getJson<AuthorizationRecord>(db, K.authorization(id));
  if (!a || a.granted.block > at.block) return false;
  const h = await latestAt<AuthorizationHistory>(db, K.authorizationHistory(id, ""), at.block);
  if (h?.status !== "Active") return false;
  if (at.time < a.validFrom || at.time >= a.validUntil) return false;
  return memberActiveAt(db, a.operator, at.block);
}

/** ConsentRegistry.covers at a past point: live and covering every purpose of the grant. */
async function consentCoversAt(db: IndexDb, id: bigint, purposes: number, at: ChainPoint): Promise<boolean> {
  const c = await getJson<ConsentRecord>(db, K.consent(id));
  if (!c || c.recorded.block > at.block) return false;
  const h = await latestAt<ConsentHistory>(db, K.consentHistory(id, ""), at.block);
  const live = h?.purposes ?? 0;
  return purposes !== 0 && (live & purposes) === purposes && at.time < c.expiry;
}
