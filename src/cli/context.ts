/**
 * What every drl command gets: the global options (--keystore, --rpc, --deployment, --json and their environment
 * variables), the output, the node, the deployment and the signing key, each opened only when the command needs it.
 */
import type { ParseArgsOptionsConfig } from "node:util";
import { resolve } from "node:path";
import { Interface, type Log, type LogDescription, type Result } from "ethers";
import { readDeploymentFile } from "../chain/deployment-file.js";
import { LEDGER_INTERFACES, type Deployment, type LedgerContractName } from "../chain/contracts.js";
import { errorMessage } from "../common/errors.js";
import { KeyError, UsageError } from "./errors.js";
import { openKeystore, passphrase } from "./keys.js";
import { Output } from "./output.js";
import { JsonRpc, callView, sendWrite, type WriteResult } from "./send.js";

export const DEFAULT_RPC_URL = "http://127.0.0.1:8545";
export const DEFAULT_DEPLOYMENT = "./data/deployment.json";

export const GLOBAL_OPTIONS = {
  keystore: { type: "string" },
  rpc: { type: "string" },
  deployment: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsOptionsConfig;

export type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

export interface CommandSpec {
  group: string;
  name: string;
  /** Arguments after `drl GROUP NAME`, for the help text. */
  usage: string;
  summary: string;
  /** Extra help lines. */
  details?: string[];
  options: ParseArgsOptionsConfig;
  run(ctx: Context, args: { values: Values; positionals: string[] }): Promise<number | void>;
}

/** A decoded event of a write's receipt. */
export interface DecodedEvent {
  contract: LedgerContractName;
  name: string;
  args: Record<string, unknown>;
}

const EVENT_INTERFACES = Object.entries(LEDGER_INTERFACES) as [LedgerContractName, Interface][];

export class Context {
  readonly out: Output;
  private rpcClient?: JsonRpc;
  private ledgerPromise?: Promise<Deployment>;
  private keyPromise?: Promise<{ privateKey: string; address: string }>;

  constructor(
    readonly globals: { keystore?: string; rpc?: string; deployment?: string; json?: boolean },
    readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.out = new Output(Boolean(globals.json));
  }

  get rpcUrl(): string {
    return this.globals.rpc ?? this.env.DRL_RPC_URL ?? DEFAULT_RPC_URL;
  }
  get deploymentPath(): string {
    return resolve(this.globals.deployment ?? this.env.DRL_DEPLOYMENT ?? DEFAULT_DEPLOYMENT);
  }
  keystorePath(): string {
    const p = this.globals.keystore ?? this.env.DRL_KEYSTORE;
    if (!p) throw new KeyError("no keystore: give --keystore FILE or set DRL_KEYSTORE (make one with drl key new / drl key import)");
    return p;
  }

  rpc(): JsonRpc {
    return (this.rpcClient ??= new JsonRpc(this.rpcUrl));
  }

  /** The deployment, checked against the node's chain id. */
  ledger(): Promise<Deployment> {
    return (this.ledgerPromise ??= (async () => {
      let d: Deployment;
      try {
        d = await readDeploymentFile(this.deploymentPath);
      } catch (e) {
        throw new UsageError(`${errorMessage(e)} (give --deployment FILE or set DRL_DEPLOYMENT)`);
      }
      const chainId = BigInt(await this.rpc().call<string>("eth_chainId"));
      if (chainId !== d.chainId) throw new UsageError(`the node at ${this.rpcUrl} runs chain ${chainId}, but ${this.deploymentPath} is a deployment on chain ${d.chainId}`);
      return d;
    })());
  }

  /** The signing key from the keystore (the passphrase is asked once). */
  key(): Promise<{ privateKey: string; address: string }> {
    return (this.keyPromise ??= (async () => {
      const path = this.keystorePath();
      return openKeystore(path, await passphrase(`Passphrase for ${path}: `, { env: this.env }));
    })());
  }

  async address(contract: LedgerContractName): Promise<string> {
    const address = (await this.ledger()).addresses[contract];
    if (address === undefined) throw new UsageError(`the deployment has no ${contract} (deployed by an older version): redeploy to use this command`);
    return address;
  }

  /** A view call; reverts become a ChainRefusal with the decoded error. */
  async view(contract: LedgerContractName, fn: string, args: readonly unknown[] = []): Promise<Result> {
    return callView(this.rpc(), LEDGER_INTERFACES[contract], await this.address(contract), fn, args);
  }

  /** Sends one write with the keystore's key and returns the receipt's decoded events. */
  async write(contract: LedgerContractName, fn: string, args: readonly unknown[]): Promise<WriteResult & { events: DecodedEvent[]; from: string }> {
    const d = await this.ledger();
    const key = await this.key();
    const data = LEDGER_INTERFACES[contract].encodeFunctionData(fn, args);
    const result = await sendWrite(this.rpc(), key.privateKey, d.chainId, { to: await this.address(contract), data });
    return { ...result, events: decodeEvents(d, result.receipt.logs), from: key.address };
  }
}

/** Decodes the ledger's events among `logs` (others are skipped). */
export function decodeEvents(d: Deployment, logs: readonly { address: string; topics: string[]; data: string }[]): DecodedEvent[] {
  const out: DecodedEvent[] = [];
  for (const log of logs) {
    const entry = EVENT_INTERFACES.find(([name]) => d.addresses[name]?.toLowerCase() === log.address.toLowerCase());
    if (!entry) continue;
    let parsed: LogDescription | null = null;
    try {
      parsed = entry[1].parseLog(log as unknown as Log);
    } catch {
      parsed = null;
    }
    if (!parsed) continue;
    const args: Record<string, unknown> = {};
    parsed.fragment.inputs.forEach((p, i) => (args[p.name] = toPlain(parsed.args[i])));
    out.push({ contract: entry[0], name: parsed.name, args });
  }
  return out;
}

function toPlain(v: unknown): unknown {
  if (v && typeof v === "object" && "toObject" in v && typeof (v as Result).toObject === "function") {
    const r = v as Result;
    try {
      return Object.fromEntries(Object.entries(r.toObject()).map(([k, x]) => [k, toPlain(x)]));
    } catch {
      return [...r].map(toPlain);
    }
  }
  return v;
}

/** The first event named `name`, or throws (a write that succeeded emits it). */
export function eventOf(events: readonly DecodedEvent[], name: string): DecodedEvent {
  const e = events.find((x) => x.name === name);
  if (!e) throw new Error(`the receipt has no ${name} event`);
  return e;
}

/** Prints the outcome of a write: the summary line and the transaction (human), or everything (--json). */
export function reportWrite(ctx: Context, command: string, w: WriteResult & { events: DecodedEvent[]; from: string }, summary: string, result: Record<string, unknown> = {}): void {
  ctx.out.result(
    { command, result, tx: { hash: w.hash, from: w.from, nonce: w.nonce, blockNumber: w.blockNumber, gasUsed: w.gasUsed }, events: w.events },
    [summary, `tx ${w.hash} (block ${w.blockNumber}, gas ${w.gasUsed}, from ${w.from})`],
  );
}
