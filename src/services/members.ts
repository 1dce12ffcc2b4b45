import type { MemberRecord } from "../indexer/records.js";
import { notFound } from "../api/errors.js";
import { pageOf } from "../api/pagination.js";
import type { IndexDb } from "../store/db.js";
import { K } from "../store/keys.js";
import { getRaw } from "../queries/history.js";

/** The consortium directory, readable by every member: organisation, roles, status. */
const view = (m: MemberRecord) => ({ account: m.account, orgId: m.orgId, credentialHash: m.credentialHash, roles: m.roles, status: m.status, admitted: m.admitted, updated: m.updated });

export async function listMembers(db: IndexDb, filter: { role?: string; status?: string }, pageReq: { cursor?: string; limit: number }) {
  return pageOf(db, "mem:", pageReq, (_k, v) => {
    const m = JSON.parse(v) as MemberRecord;
    if (filter.role && !m.roles.includes(filter.role)) return undefined;
    if (filter.status && m.status !== filter.status) return undefined;
    return view(m);
  });
}

export async function getMember(db: IndexDb, account: string) {
  const v = getRaw(db, K.member(account));
  if (v === undefined) throw notFound(`member ${account}`);
  return view(JSON.parse(v) as MemberRecord);
}
