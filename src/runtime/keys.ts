import { randomBytes } from "node:crypto";
import { chmod, mkdir, open, readFile, rename, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { Wallet } from "ethers";
import { NonRetryableError } from "../common/errors.js";

/** Writes `content` to `path` with mode 0600, atomically. */
export async function writeSecretFile(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp-${process.pid}`;
  const fh = await open(tmp, "w", 0o600);
  try {
    await fh.writeFile(content);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await chmod(tmp, 0o600);
  await rename(tmp, path);
}

/** Reads a private key file, refusing one that others may read. */
export async function readKeyFile(path: string): Promise<Wallet> {
  const s = await stat(path);
  if ((s.mode & 0o077) !== 0) throw new NonRetryableError("DRL-KEY-MODE", `${path} is readable by others (mode ${(s.mode & 0o777).toString(8)}); chmod 600 it`);
  const key = (await readFile(path, "utf8")).trim();
  try {
    return new Wallet(key);
  } catch {
    throw new NonRetryableError("DRL-KEY", `${path} does not hold a private key`);
  }
}

/** The key at `path`, created (random, mode 0600) when missing. */
export async function loadOrCreateKey(path: string): Promise<{ wallet: Wallet; created: boolean }> {
  try {
    return { wallet: await readKeyFile(path), created: false };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  const wallet = new Wallet("0x" + randomBytes(32).toString("hex"));
  await writeSecretFile(path, wallet.privateKey + "\n");
  return { wallet, created: true };
}
