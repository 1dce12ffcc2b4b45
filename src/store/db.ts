import { Level } from "level";

/** The index database: string keys (see keys.ts), JSON string values. */
export type IndexDb = Level<string, string>;

/**
 * LevelDB keeps at most this many table files open (its floor is 74). Open tables are memory-mapped, and every
 * page a read touches stays in the process's resident memory while its table is open: with the default of 1,000
 * the resident size grew with the database (mapped tables were 155 MiB of the indexer's resident memory at ~900k
 * events, and rising). 100 bounds it to the pages of the 90 most recently used 2 MiB tables.
 */
const MAX_OPEN_FILES = 100;

export async function openIndexDb(path: string): Promise<IndexDb> {
  const db = new Level<string, string>(path, { keyEncoding: "utf8", valueEncoding: "utf8", maxOpenFiles: MAX_OPEN_FILES });
  await db.open();
  return db;
}

/**
 * The layout of the index this version writes and reads. 2: history indexes (K.historyIndex) and numbered lineage
 * children (K.lineageChild); 3: trace chunks hold trace items (the entries without subject and contract). An index
 * of another layout is rebuilt from the chain (it is derived data).
 */
export const INDEX_SCHEMA = "3";
const SCHEMA_KEY = "meta:schema";

/** Whether the index holds a deployment indexed with another layout than INDEX_SCHEMA (an empty index does not). */
export async function indexSchemaOutdated(db: IndexDb): Promise<boolean> {
  if ((await db.get("meta:deployment")) === undefined) return false;
  return (await db.get(SCHEMA_KEY)) !== INDEX_SCHEMA;
}

/** The writes that stamp a new index with this version's layout. */
export const schemaStamp = () => ({ type: "put" as const, key: SCHEMA_KEY, value: INDEX_SCHEMA });

/** JSON with bigints as decimal strings, so values are plain, deterministic text. */
export const toJson = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
