import { createHash } from "node:crypto";
import type { IndexDb } from "./db.js";

/**
 * A SHA-256 over every key and value in key order, each framed by its length, so two databases have the same
 * digest exactly when they hold the same bytes.
 */
export async function digestDb(db: IndexDb): Promise<{ digest: string; entries: number }> {
  const hash = createHash("sha256");
  let entries = 0;
  for await (const [key, value] of db.iterator()) {
    const k = Buffer.from(key, "utf8");
    const v = Buffer.from(value, "utf8");
    const frame = Buffer.alloc(8);
    frame.writeUInt32BE(k.length, 0);
    frame.writeUInt32BE(v.length, 4);
    hash.update(frame).update(k).update(v);
    entries++;
  }
  return { digest: hash.digest("hex"), entries };
}
