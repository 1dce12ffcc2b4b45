import { SubjectKind } from "../domain/enums.js";
import { subjectKey } from "../domain/trace.js";
import type { GrantRecord, ResourceRecord } from "../indexer/records.js";
import type { Caller } from "../api/route.js";
import type { Records } from "../store/repositories/records.js";

/**
 * Who may read what. Regulators read everything. A member reads what it holds or is a party to (grantor or
 * grantee, along a grant's chain too). The public catalogue shows resources that are not restricted.
 */
export const isRestricted = (r: ResourceRecord): boolean =>
  r.category === "Personal" || r.grade !== "General" || r.openClass === "NotOpen";

export async function canReadResource(rec: Records, caller: Caller | null, r: ResourceRecord): Promise<boolean> {
  if (caller?.isRegulator) return true;
  if (caller && (r.holder === caller.address || (await rec.isParty(caller.address, subjectKey(SubjectKind.Resource, BigInt(r.id)))))) return true;
  return !isRestricted(r);
}

/** Full detail (holder's view): regulators and parties; the public sees catalogue fields only. */
export async function isResourceParty(rec: Records, caller: Caller | null, r: ResourceRecord): Promise<boolean> {
  if (!caller) return false;
  if (caller.isRegulator || r.holder === caller.address) return true;
  return rec.isParty(caller.address, subjectKey(SubjectKind.Resource, BigInt(r.id)));
}

export async function canReadGrant(rec: Records, caller: Caller | null, g: GrantRecord): Promise<boolean> {
  if (!caller) return false;
  if (caller.isRegulator) return true;
  for (const id of [g.id, ...g.ancestry]) {
    if (await rec.isParty(caller.address, subjectKey(SubjectKind.Grant, BigInt(id)))) return true;
  }
  if (g.subjectKind === "Resource") {
    const r = await rec.resource(BigInt(g.subjectId));
    if (r && r.holder === caller.address) return true;
  }
  return false;
}
