import type { GrantRecord, MemberRecord, ResourceRecord, TraceHead } from "../../indexer/records.js";
import { getJson, getRaw } from "../../queries/history.js";
import type { IndexDb } from "../db.js";
import { K } from "../keys.js";

/** Typed reads of the projections the indexer writes. */
export const records = (db: IndexDb) => ({
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
export type Records = ReturnType<typeof records>;
