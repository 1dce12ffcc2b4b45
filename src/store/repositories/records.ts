import type { GrantRecord, MemberRecord, ResourceRecord, TraceHead } from "../../indexer/records.js";
import { getJson, getRaw } from "../../queries/history.js";
import type { IndexDb } from "../db.js";
import { K } from "../keys.js";

/** Typed reads of the projections the indexer writes; made once per database (every request asks for them). */
export const records = (db: IndexDb): Records => {
  let r = made.get(db);
  if (!r) made.set(db, (r = make(db)));
  return r;
};

const make = (db: IndexDb) => ({
  member: (account: string) => getJson<MemberRecord>(db, K.member(account)),
  resource: (id: bigint) => getJson<ResourceRecord>(db, K.resource(id)),
  grant: (id: bigint) => getJson<GrantRecord>(db, K.grant(id)),
  traceHead: (subject: string) => getJson<TraceHead>(db, K.traceHead(subject)),
  isParty: async (account: string, subject: string) => getRaw(db, K.party(account, subject)) !== undefined,
  blockTime: async (block: number) => {
    const v = getRaw(db, K.blockTime(block));
    return v === undefined ? undefined : Number(v);
  },
});
export type Records = ReturnType<typeof make>;
const made = new WeakMap<IndexDb, Records>();
