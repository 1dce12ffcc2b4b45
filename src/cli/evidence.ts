import { readFile, writeFile } from "node:fs/promises";
import { BaseError } from "../common/errors.js";
import type { EvidenceBundle } from "../evidence/bundle.js";
import { BundleSchema } from "../evidence/schema.js";
import { verifyBundle, type Verdict } from "../evidence/verify.js";
import { createHttpRpc } from "../chain/rpc.js";

export class UsageError extends BaseError {
  override name = "UsageError";
  constructor(message: string) {
    super("DRL-USAGE", message);
  }
}

/** Reads and shape-checks a bundle file. */
export async function readBundle(path: string): Promise<EvidenceBundle> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, "utf8"));
  } catch (e) {
    throw new UsageError(`cannot read ${path} as JSON: ${(e as Error).message}`);
  }
  const parsed = BundleSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(`${path} is not an evidence bundle: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`);
  return parsed.data as unknown as EvidenceBundle;
}

/**
 * `drl evidence verify FILE --trusted-hash 0x… | --trusted-rpc URL`: offline unless the user names a node they
 * trust for the anchor block's hash.
 */
export async function verifyCommand(file: string, opts: { trustedHash?: string; trustedRpc?: string }): Promise<{ verdict: Verdict; trusted: string }> {
  const bundle = await readBundle(file);
  let trusted = opts.trustedHash;
  if (trusted === undefined && opts.trustedRpc) {
    const block = (await createHttpRpc(opts.trustedRpc).request({ method: "eth_getBlockByNumber", params: ["0x" + bundle.anchor.number.toString(16), false] })) as { hash: string } | null;
    if (!block) throw new UsageError(`the trusted node has no block ${bundle.anchor.number}`);
    trusted = block.hash;
  }
  if (trusted === undefined) throw new UsageError("give the block hash you trust: --trusted-hash 0x… (or --trusted-rpc URL of a node you trust)");
  if (!/^0x[0-9a-fA-F]{64}$/.test(trusted)) throw new UsageError("--trusted-hash must be a 32-byte 0x-prefixed hash");
  return { verdict: await verifyBundle(bundle, trusted), trusted };
}

export async function writeBundle(path: string, bundle: EvidenceBundle): Promise<void> {
  await writeFile(path, JSON.stringify(bundle, null, 1) + "\n");
}
