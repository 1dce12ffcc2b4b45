/**
 * Keys: an encrypted keystore file (the Ethereum JSON wallet format, scrypt) opened with a passphrase from
 * DRL_PASSPHRASE or typed at a prompt without echo. A key never comes from the command line.
 *
 *   drl key new --out FILE                         a new random key, written mode 0600
 *   drl key import --from-plain FILE --out FILE    a plain 0600 key file (e.g. the runtime's governance.key)
 *   drl key address [--keystore FILE]              the keystore's address (no passphrase needed)
 *
 * Scrypt costs ethers' default (N = 2^17) unless DRL_KEYSTORE_FAST=1 (N = 2^10, for tests and throwaway keys).
 */
import { randomBytes } from "node:crypto";
import { access, readFile, stat } from "node:fs/promises";
import { decryptKeystoreJson, encryptKeystoreJson, getAddress, isKeystoreJson, Wallet } from "ethers";
import { readKeyFile, writeSecretFile } from "../runtime/keys.js";
import { errorMessage } from "../common/errors.js";
import { KeyError, UsageError } from "./errors.js";
import type { CommandSpec } from "./context.js";

export const FAST_SCRYPT_N = 1 << 10;

/** Encrypts a private key as keystore JSON (scrypt; fast parameters only when DRL_KEYSTORE_FAST=1). */
export async function encryptKey(privateKey: string, passphrase: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const wallet = new Wallet(privateKey);
  const fast = env.DRL_KEYSTORE_FAST === "1";
  return encryptKeystoreJson({ address: wallet.address, privateKey: wallet.privateKey }, passphrase, fast ? { scrypt: { N: FAST_SCRYPT_N } } : {});
}

async function readKeystoreText(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new KeyError(`cannot read keystore ${path}: ${(e as NodeJS.ErrnoException).code ?? errorMessage(e)}`, { cause: e });
  }
  if (!isKeystoreJson(text)) throw new KeyError(`${path} is not an encrypted keystore (an Ethereum JSON wallet); make one with: drl key import --from-plain FILE --out ${path}`);
  return text;
}

/** The address a keystore names (read without the passphrase). */
export async function keystoreAddress(path: string): Promise<string> {
  const text = await readKeystoreText(path);
  const a = (JSON.parse(text) as { address?: string }).address;
  if (!a) throw new KeyError(`${path} does not name its address`);
  return getAddress(a.startsWith("0x") ? a : "0x" + a);
}

/** Opens a keystore: the private key and address. A wrong passphrase is a KeyError. */
export async function openKeystore(path: string, passphrase: string): Promise<{ privateKey: string; address: string }> {
  const text = await readKeystoreText(path);
  try {
    const account = await decryptKeystoreJson(text, passphrase);
    return { privateKey: account.privateKey, address: getAddress(account.address) };
  } catch (e) {
    if (/incorrect password/i.test(errorMessage(e))) throw new KeyError(`wrong passphrase for keystore ${path}`);
    throw new KeyError(`cannot open keystore ${path}: ${errorMessage(e)}`, { cause: e });
  }
}

/**
 * The passphrase: DRL_PASSPHRASE when set, else typed at the terminal without echo (twice with `confirm`).
 * Without either it is a KeyError: the CLI never reads a passphrase from a pipe or an argument.
 */
export async function passphrase(prompt: string, options: { confirm?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  const env = options.env ?? process.env;
  if (env.DRL_PASSPHRASE !== undefined) return env.DRL_PASSPHRASE;
  if (!process.stdin.isTTY) throw new KeyError("no passphrase: set DRL_PASSPHRASE, or run drl in a terminal to type it");
  const first = await readHidden(prompt);
  if (options.confirm) {
    const again = await readHidden("Repeat the passphrase: ");
    if (again !== first) throw new KeyError("the two passphrases differ");
  }
  return first;
}

/** Reads a line from the terminal in raw mode, echoing nothing. Ctrl-C aborts (exit 130), Ctrl-D ends the line. */
function readHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let value = "";
    const wasRaw = stdin.isRaw;
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding("utf8");
    const done = (err?: Error) => {
      stdin.off("data", onData);
      stdin.setRawMode(wasRaw);
      stdin.pause();
      process.stderr.write("\n");
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n" || ch === "\u0004") return done();
        if (ch === "\u0003") {
          done(new KeyError("passphrase entry cancelled"));
          return;
        }
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on("data", onData);
  });
}

async function refuseExisting(path: string): Promise<void> {
  try {
    await access(path);
  } catch {
    return;
  }
  throw new UsageError(`${path} exists; a keystore is never overwritten (choose another --out)`);
}

async function writeKeystore(out: string, privateKey: string, env: NodeJS.ProcessEnv): Promise<string> {
  const pass = await passphrase("Passphrase for the new keystore: ", { confirm: true, env });
  if (pass.length === 0) throw new KeyError("the passphrase must not be empty");
  const json = await encryptKey(privateKey, pass, env);
  await writeSecretFile(out, json + "\n");
  return json;
}

export const KEY_COMMANDS: CommandSpec[] = [
  {
    group: "key",
    name: "new",
    usage: "--out FILE",
    summary: "create a new random key in an encrypted keystore (mode 0600)",
    options: { out: { type: "string" } },
    async run(ctx, { values }) {
      const out = values.out as string | undefined;
      if (!out) throw new UsageError("--out FILE is required");
      await refuseExisting(out);
      const wallet = new Wallet("0x" + randomBytes(32).toString("hex"));
      await writeKeystore(out, wallet.privateKey, ctx.env);
      ctx.out.result({ address: wallet.address, keystore: out }, [`created ${out} (mode 0600)`, `address ${wallet.address}`]);
    },
  },
  {
    group: "key",
    name: "import",
    usage: "--from-plain FILE --out FILE",
    summary: "encrypt a plain 0600 private-key file (e.g. data/keys/governance.key) into a keystore",
    options: { "from-plain": { type: "string" }, out: { type: "string" } },
    async run(ctx, { values }) {
      const from = values["from-plain"] as string | undefined;
      const out = values.out as string | undefined;
      if (!from || !out) throw new UsageError("--from-plain FILE and --out FILE are required");
      await refuseExisting(out);
      let wallet: Wallet;
      try {
        await stat(from);
        wallet = await readKeyFile(from);
      } catch (e) {
        throw new KeyError(`cannot use ${from}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : errorMessage(e)}`, { cause: e });
      }
      await writeKeystore(out, wallet.privateKey, ctx.env);
      ctx.out.result({ address: wallet.address, keystore: out, from }, [`created ${out} (mode 0600) from ${from}`, `address ${wallet.address}`, `the plain key file is unchanged: delete it when you no longer need it`]);
    },
  },
  {
    group: "key",
    name: "address",
    usage: "[--keystore FILE]",
    summary: "print the keystore's address (no passphrase needed)",
    options: {},
    async run(ctx) {
      const path = ctx.keystorePath();
      const address = await keystoreAddress(path);
      ctx.out.result({ address, keystore: path }, address);
    },
  },
];
