/**
 * Shared by the drl CLI tests (not a test file itself): an anvil with the ledger deployed, keystores for anvil's
 * dev keys, and the CLI run as a child process the way a member runs it.
 */
import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JsonRpcProvider, Wallet, id } from "ethers";
import { ANVIL_KEYS, startAnvil, type AnvilNode } from "../../scripts/lib/anvil.js";
import type { Deployment } from "../../src/chain/contracts.js";
import { deployLedgerCore } from "../../src/chain/deploy.js";
import { writeDeploymentFile } from "../../src/chain/deployment-file.js";
import { encryptKey } from "../../src/cli/keys.js";
import { LEDGER_INTERFACES } from "../../src/chain/contracts.js";
import { ROLE_IDS, type RoleName } from "../../src/domain/roles.js";

export const PASSPHRASE = "correct horse battery staple";

export interface TestLedger {
  node: AnvilNode;
  dir: string;
  deploymentFile: string;
  deployment: Deployment;
  provider: JsonRpcProvider;
  /** Keystore file of anvil dev key `i` (passphrase PASSPHRASE, fast scrypt). */
  keystore(i: number): string;
  address(i: number): string;
  /** Admits dev key `i` with roles, in-process (setup, not under test). */
  admit(i: number, roles: RoleName[]): Promise<void>;
  stop(): Promise<void>;
}

/** Starts anvil (extra flags pass through), deploys the ledger with dev key 0 as governor, writes keystores 0..5. */
export async function startLedger(anvilArgs: string[] = []): Promise<TestLedger> {
  const node = await startAnvil(anvilArgs);
  const dir = await mkdtemp(join(tmpdir(), "membercli-"));
  const provider = new JsonRpcProvider(node.url, undefined, { cacheTimeout: -1, pollingInterval: 50 });
  const gov = new Wallet(ANVIL_KEYS[0], provider);
  const deployment = await deployLedgerCore(gov);
  const deploymentFile = join(dir, "deployment.json");
  await writeDeploymentFile(deploymentFile, deployment);
  const env = { DRL_KEYSTORE_FAST: "1" };
  await Promise.all(
    ANVIL_KEYS.slice(0, 6).map(async (k, i) => writeFile(join(dir, `key${i}.json`), (await encryptKey(k, PASSPHRASE, env)) + "\n", { mode: 0o600 })),
  );
  let nonce = await provider.getTransactionCount(gov.address, "pending");
  return {
    node,
    dir,
    deploymentFile,
    deployment,
    provider,
    keystore: (i) => join(dir, `key${i}.json`),
    address: (i) => new Wallet(ANVIL_KEYS[i]!).address,
    async admit(i, roles) {
      const data = LEDGER_INTERFACES.MemberRegistry.encodeFunctionData("admit", [new Wallet(ANVIL_KEYS[i]!).address, id(`org ${i}`), id(`cred ${i}`), roles.map((r) => ROLE_IDS[r])]);
      const tx = await gov.sendTransaction({ to: deployment.addresses.MemberRegistry, data, nonce: nonce++ });
      await tx.wait(1, 30_000);
    },
    async stop() {
      provider.destroy();
      await node.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `drl ARGS` as a member would (node --import tsx scripts/drl.ts), with DRL_PASSPHRASE set unless overridden. */
export function drl(ledger: TestLedger | undefined, args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const base: Record<string, string | undefined> = { ...process.env, DRL_KEYSTORE: undefined, DRL_RPC_URL: undefined, DRL_DEPLOYMENT: undefined, DRL_PASSPHRASE: PASSPHRASE, DRL_KEYSTORE_FAST: "1" };
    if (ledger) Object.assign(base, { DRL_RPC_URL: ledger.node.url, DRL_DEPLOYMENT: ledger.deploymentFile });
    const merged = { ...base, ...env };
    const clean = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)) as Record<string, string>;
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/drl.ts", ...args], { env: clean, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

/** The JSON document a --json command printed. */
export function json<T = Record<string, unknown>>(r: Run): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${r.status}): ${r.stdout}\n${r.stderr}`);
  }
}

/** `r`, after checking it exited 0 (the output is the failure message). */
export function ok(r: Run): Run {
  expect(r.status, `${r.stdout}\n${r.stderr}`).to.equal(0);
  return r;
}

/** Checks `r` was refused by the chain (exit 1) with the error's sentence and name, never "execution reverted". */
export function refused(r: Run, sentence: string, error: string): void {
  expect(r.status, r.stdout + r.stderr).to.equal(1);
  expect(r.stderr).to.contain(sentence);
  expect(r.stderr).to.contain(error);
  expect(r.stderr).to.not.match(/execution reverted/i);
}
