import { Level } from "level";

/** The index database: string keys (see keys.ts), JSON string values. */
export type IndexDb = Level<string, string>;

export async function openIndexDb(path: string): Promise<IndexDb> {
  const db = new Level<string, string>(path, { keyEncoding: "utf8", valueEncoding: "utf8" });
  await db.open();
  return db;
}

/** JSON with bigints as decimal strings, so values are plain, deterministic text. */
export const toJson = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
