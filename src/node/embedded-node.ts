import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, open, readFile, readdir, rename, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { gunzipSync } from "node:zlib";
import { NonRetryableError, errorMessage } from "../common/errors.js";
import type { Logger } from "../common/logger.js";
import { createHttpRpc, type Eip1193 } from "../chain/rpc.js";

const require = createRequire(import.meta.url);

// sh -c WATCHDOG <name> <anvil> <args...>: runs anvil, and kills it when stdin reaches end of file (the parent died
// or closed it) or when the group is told to stop.
// (stdin is kept as fd 3: a background job's own stdin is /dev/null.)
const WATCHDOG = 'exec 3<&0; node_bin="$1"; shift; "$node_bin" "$@" </dev/null & pid=$!; trap "kill -TERM $pid 2>/dev/null" TERM INT; (cat <&3 >/dev/null; kill -KILL $pid 2>/dev/null) & wait $pid';

export interface EmbeddedNodeOptions {
  dataDir: string;
  port: number;
  chainId: number;
  /** Seconds between atomic state snapshots (only when a block was mined since the last one). */
  snapshotIntervalSeconds: number;
  logger: Logger;
}

export interface EmbeddedNode {
  url: string;
  rpc: Eip1193;
  /** Writes the chain state to disk now (temporary file, fsync, rename). */
  snapshot(): Promise<void>;
  /** Snapshots, then stops the node. */
  stop(): Promise<void>;
}

/** Writes `data` to `path` atomically and durably: temporary file, fsync, rename, fsync of the directory. */
async function writeFileDurably(path: string, data: Buffer | string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  const fh = await open(tmp, "w");
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  // The rename itself is durable once the directory is synced.
  const dir = await open(dirname(path), "r");
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
};

interface DumpedBlock {
  header: { number: string; timestamp: string };
}

// JSON.parse with the source text of each value (Node >= 21), to keep numbers beyond 2^53 exact through a rewrite.
const JsonWithSource = JSON as unknown as {
  parse(text: string, reviver: (key: string, value: unknown, context?: { source?: string }) => unknown): unknown;
  rawJSON(text: string): unknown;
};

/**
 * anvil makes a new genesis block (timestamped now) every time it starts, --load-state included, and its dump keeps
 * that block beside the chain's own genesis. From the second restart on, block 0 is whichever of the dumped
 * genesis blocks the load met last: its hash changes from start to start and block 1 no longer hangs from it.
 * Before loading, keep the chain's own genesis (the earliest; the others were made by later starts).
 */
async function keepOneGenesis(stateFile: string, logger: Logger): Promise<void> {
  const text = await readFile(stateFile, "utf8");
  // A cheap look first (the file grows large): parse only when more than one block 0 is there.
  if ((text.match(/"number"\s*:\s*"0x0"/g)?.length ?? 0) <= 1) return;
  const state = JsonWithSource.parse(text, (_key, value, context) =>
    typeof value === "number" && !Number.isSafeInteger(value) && context?.source !== undefined ? JsonWithSource.rawJSON(context.source) : value,
  ) as { blocks?: DumpedBlock[] };
  const geneses = (state.blocks ?? []).filter((b) => BigInt(b.header.number) === 0n);
  if (geneses.length <= 1) return;
  const own = geneses.reduce((a, b) => (BigInt(b.header.timestamp) < BigInt(a.header.timestamp) ? b : a));
  state.blocks = state.blocks!.filter((b) => BigInt(b.header.number) !== 0n || b === own);
  await writeFileDurably(stateFile, JSON.stringify(state));
  logger.debug("dropped the genesis blocks of earlier restarts from the chain state", { dropped: geneses.length - 1 });
}

/**
 * The embedded local node: anvil on 127.0.0.1 with the chain kept under `<dataDir>/chain/state.json`. anvil's own
 * periodic dump writes the file in place (a crash mid-write leaves a file it cannot start from), so the state is
 * instead fetched with `anvil_dumpState(true)` (historical states included, so proofs at old blocks survive a
 * restart) and written atomically. A crash loses at most the blocks mined since the last snapshot.
 */
export async function startEmbeddedNode(o: EmbeddedNodeOptions): Promise<EmbeddedNode> {
  const chainDir = join(o.dataDir, "chain");
  const stateFile = join(chainDir, "state.json");
  await mkdir(chainDir, { recursive: true });
  const binary = join(dirname(require.resolve("@foundry-rs/anvil-linux-amd64/package.json")), "bin", "anvil");
  const args = ["--host", "127.0.0.1", "--port", String(o.port), "--chain-id", String(o.chainId), "--preserve-historical-states", "--silent"];
  // A snapshot cut short by a crash leaves its temporary file (the size of the state): remove those of dead processes.
  for (const name of await readdir(chainDir)) {
    const pid = /^state\.json\.tmp-(\d+)$/.exec(name)?.[1];
    if (pid !== undefined && !isAlive(Number(pid))) await rm(join(chainDir, name), { force: true });
  }
  if (existsSync(stateFile)) {
    await keepOneGenesis(stateFile, o.logger);
    args.push("--load-state", stateFile);
  }
  // The node runs in its own process group, so a Ctrl-C aimed at `npm start` does not kill it before the final
  // snapshot; and a watchdog kills it when our end of its stdin closes, so it cannot outlive us, even a kill -9.
  const child: ChildProcess = spawn("sh", ["-c", WATCHDOG, "anvil-watchdog", binary, ...args], { stdio: ["pipe", "ignore", "pipe"], detached: true });
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4_000)));
  const url = `http://127.0.0.1:${o.port}`;
  const rpc = createHttpRpc(url, { retries: 0, timeoutMs: 2_000 });
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new NonRetryableError("DRL-NODE-START", `the embedded node exited (${child.exitCode}): ${stderr.trim() || "no output"}${/address already in use|Address in use/i.test(stderr) ? ` — port ${o.port} is taken; set DRL_NODE_PORT` : ""}`);
    }
    try {
      await rpc.request({ method: "eth_chainId" });
      break;
    } catch {
      if (Date.now() > deadline) {
        killGroup("SIGKILL");
        throw new NonRetryableError("DRL-NODE-START", `the embedded node did not answer on ${url}: ${stderr.trim()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const restored = args.includes("--load-state");
  const liveRpc = createHttpRpc(url);
  let lastSnapshotBlock = -1;
  let snapshotting: Promise<void> | undefined;

  if (restored) {
    // The chain must still hang from its genesis (see keepOneGenesis).
    const [genesis, first] = (await Promise.all(["0x0", "0x1"].map((n) => liveRpc.request({ method: "eth_getBlockByNumber", params: [n, false] })))) as ({ hash: string; parentHash: string } | null)[];
    if (genesis && first && first.parentHash !== genesis.hash) o.logger.warn("the restored chain's block 1 does not hang from its block 0", { block0: genesis.hash, block1Parent: first.parentHash });
  }

  async function writeSnapshot(): Promise<void> {
    const block = Number(await liveRpc.request({ method: "eth_blockNumber" }));
    if (block === lastSnapshotBlock) return;
    const hex = (await liveRpc.request({ method: "anvil_dumpState", params: [true] })) as string;
    const json = gunzipSync(Buffer.from(hex.slice(2), "hex"));
    await writeFileDurably(stateFile, json);
    lastSnapshotBlock = block;
    o.logger.debug("chain snapshot written", { block, bytes: json.length });
  }
  const snapshot = async () => {
    // One snapshot at a time; a caller that arrives during one waits for it and then takes its own.
    while (snapshotting) await snapshotting;
    snapshotting = writeSnapshot().finally(() => (snapshotting = undefined));
    return snapshotting;
  };

  const timer = setInterval(() => {
    // A tick during a snapshot is skipped, not queued: the dump grows with the chain (historical states), and once
    // it takes longer than the interval queued ticks would pile up without bound and dump back to back.
    if (snapshotting) return;
    snapshot().catch((e: unknown) => o.logger.warn("chain snapshot failed", { error: errorMessage(e) }));
  }, o.snapshotIntervalSeconds * 1000);
  timer.unref();

  const size = restored ? (await stat(stateFile)).size : 0;
  o.logger.info("embedded node started", { url, chainId: o.chainId, stateFile, restored, stateBytes: size });

  return {
    url,
    rpc: liveRpc,
    snapshot,
    async stop() {
      clearInterval(timer);
      try {
        await snapshot();
      } finally {
        await new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once("exit", () => resolve());
          killGroup("SIGTERM");
          setTimeout(() => killGroup("SIGKILL"), 5_000).unref();
        });
      }
    },
  };
}
