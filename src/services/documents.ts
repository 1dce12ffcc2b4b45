import { mkdir, open, readFile, rename, stat } from "node:fs/promises";
import { join } from "node:path";
import { keccak256 } from "ethers";
import { IntegrityError } from "../common/errors.js";

export interface DocumentMeta {
  hash: string;
  size: number;
  contentType: string;
  uploader: string;
  uploadedAt: number;
}

/**
 * Documents referenced on-chain by hash (terms, evidence, rulings, catalogues): stored under their keccak256, the
 * hash the contracts record. Writes are atomic (temporary file, fsync, rename), so a crash never leaves a partial
 * file under a hash; reads re-check the hash.
 */
export class DocumentStore {
  constructor(private readonly dir: string) {}

  async put(bytes: Buffer, contentType: string, uploader: string, now: number): Promise<DocumentMeta> {
    await mkdir(this.dir, { recursive: true });
    const hash = keccak256(bytes);
    const meta: DocumentMeta = { hash, size: bytes.length, contentType, uploader: uploader.toLowerCase(), uploadedAt: now };
    const existing = await this.meta(hash);
    if (existing) return existing;
    await this.atomicWrite(this.path(hash), bytes);
    await this.atomicWrite(this.path(hash) + ".json", Buffer.from(JSON.stringify(meta)));
    return meta;
  }

  async meta(hash: string): Promise<DocumentMeta | undefined> {
    try {
      return JSON.parse(await readFile(this.path(hash) + ".json", "utf8")) as DocumentMeta;
    } catch {
      return undefined;
    }
  }

  async get(hash: string): Promise<{ meta: DocumentMeta; bytes: Buffer } | undefined> {
    const meta = await this.meta(hash);
    if (!meta) return undefined;
    const bytes = await readFile(this.path(hash));
    if (keccak256(bytes) !== hash.toLowerCase()) throw new IntegrityError("DRL-DOC-CORRUPT", `stored document ${hash} no longer matches its hash`);
    return { meta, bytes };
  }

  async has(hash: string): Promise<boolean> {
    try {
      await stat(this.path(hash));
      return true;
    } catch {
      return false;
    }
  }

  private path(hash: string): string {
    if (!/^0x[0-9a-f]{64}$/.test(hash.toLowerCase())) throw new RangeError(`not a document hash: ${hash}`);
    return join(this.dir, hash.toLowerCase());
  }

  private async atomicWrite(path: string, bytes: Buffer): Promise<void> {
    const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
    const fh = await open(tmp, "w");
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  }
}
