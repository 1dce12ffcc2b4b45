import type { GovernmentDepartmentRecord, NegativeEntryRecord, PositiveEntryRecord, RatingRecord, RequiredLevelRecord } from "../indexer/records.js";
import { pageOf } from "../api/pagination.js";
import type { IndexDb } from "../store/db.js";
import { K, id20 } from "../store/keys.js";
import { getJson } from "../queries/history.js";

/** Government departments shown at once (they are members, marked one by one by governance). */
const MAX_DEPARTMENTS = 1_000;

/** The positive list (正面清单): the encouraged scenarios now. Public. */
export const positiveList = (db: IndexDb, pageReq: { cursor?: string; limit: number }) =>
  pageOf(db, "pos:", pageReq, (_k, v) => JSON.parse(v) as PositiveEntryRecord);

/**
 * The negative list (负面清单) now: the purposes prohibited per (domain, category, grade). At most one entry per
 * combination of the three enums, so it is returned whole.
 */
export async function negativeList(db: IndexDb) {
  const items: NegativeEntryRecord[] = [];
  for await (const [, v] of db.iterator({ gte: "neg:", lt: "neg:\xff" })) items.push(JSON.parse(v) as NegativeEntryRecord);
  return { items };
}

/**
 * The rest of admission: the certification level each grade needs, the members marked as government departments,
 * and the accounts owed the public share and procuring for governance.
 */
export async function admissionSettings(db: IndexDb) {
  const requiredLevels: RequiredLevelRecord[] = [];
  for await (const [, v] of db.iterator({ gte: "reqlvl:", lt: "reqlvl:\xff" })) requiredLevels.push(JSON.parse(v) as RequiredLevelRecord);
  const governmentDepartments: GovernmentDepartmentRecord[] = [];
  let truncated = false;
  for await (const [, v] of db.iterator({ gte: "govdept:", lt: "govdept:\xff", limit: MAX_DEPARTMENTS + 1 })) {
    if (governmentDepartments.length === MAX_DEPARTMENTS) {
      truncated = true;
      break;
    }
    governmentDepartments.push(JSON.parse(v) as GovernmentDepartmentRecord);
  }
  const param = async (name: string) => (await getJson<{ value: string }>(db, K.meta(`param:${name}`)))?.value ?? null;
  return { requiredLevels, governmentDepartments, governmentDepartmentsTruncated: truncated, publicBeneficiary: await param("publicBeneficiary"), procurementAgent: await param("procurementAgent") };
}

/** Third-party ratings (第三方认证评级), of one product, of one member, or all; optionally of one kind. */
export async function listRatings(db: IndexDb, filter: { productId?: bigint; member?: string; kind?: string }, pageReq: { cursor?: string; limit: number }) {
  const prefix = filter.productId !== undefined ? `ratprod:${id20(filter.productId)}:` : filter.member !== undefined ? `ratmem:${filter.member}:` : "rat:";
  const indexed = prefix !== "rat:";
  return pageOf(db, prefix, pageReq, async (_k, v) => {
    const r = indexed ? await getJson<RatingRecord>(db, K.rating(BigInt(v))) : (JSON.parse(v) as RatingRecord);
    if (!r || (filter.kind !== undefined && r.kind !== filter.kind)) return undefined;
    if (filter.member !== undefined && r.member !== filter.member) return undefined;
    if (filter.productId !== undefined && r.productId !== filter.productId.toString()) return undefined;
    return r;
  });
}
