/**
 * The data set of the API benchmark: a chain of >= N ledger events made by the load generator (scripts/lib/load.ts),
 * plus chains of data products whose lineage is 4 deep (the generator makes none) and resources with long traces
 * (its subjects have a handful of entries each), indexed by the real
 * indexer into a LevelDB; then the request paths of each query, chosen from what the index holds.
 *
 * The directory is kept (and reused) when the bench is given --data DIR: building takes about a minute and a half.
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { JsonRpcProvider, Wallet, type TransactionReceipt } from "ethers";
import { LEDGER_INTERFACES, type Deployment } from "../../src/chain/contracts.js";
import { deployLedgerCore } from "../../src/chain/deploy.js";
import { createHttpRpc } from "../../src/chain/rpc.js";
import { DeliveryMode, Domain, ProductKind, RightType, SubjectKind } from "../../src/domain/enums.js";
import { encodeCursor } from "../../src/api/pagination.js";
import type { GrantRecord, ResourceRecord, TraceHead } from "../../src/indexer/records.js";
import { createIndexer } from "../../src/indexer/sync.js";
import { grantValidityAt } from "../../src/queries/grant-validity.js";
import { getJson } from "../../src/queries/history.js";
import { latestPoint } from "../../src/services/time.js";
import { openIndexDb, type IndexDb } from "../../src/store/db.js";
import { K, prefixEnd } from "../../src/store/keys.js";
import { startAnvil, type AnvilNode } from "../lib/anvil.js";
import { anvilDevKeys, generateLedgerLoad } from "../lib/load.js";
import { mulberry32 } from "../lib/prng.js";

/** What the bench needs to know about a built data set (written as manifest.json beside the index). */
export interface ApiBenchManifest {
  version: 6;
  created: string;
  chainId: string;
  /** The load generator's regulator (a member who may read everything), who signs in for the queries. */
  regulatorKey: string;
  /** Ledger events on chain (eth_getLogs), and how many of them the index holds. */
  eventsOnChain: number;
  eventsIndexed: number;
  blocks: number;
  checkpoint: number;
  loadSeconds: number;
  indexSeconds: number;
  products: { registered: number; maxDepth: number; chains: number };
  /** Request paths per query, in the order the load generator cycles through them. */
  paths: { floor: string[]; trace: string[]; validity: string[]; lineage: string[] };
  /** How the paths were chosen, for the report. */
  notes: { traceSubjects: number; traceSubjectsTotal: number; validityGrants: number; lineageProducts: number };
}

const MANIFEST = "manifest.json";
export const indexDir = (dir: string) => join(dir, "index");

export async function readManifest(dir: string): Promise<ApiBenchManifest | undefined> {
  try {
    const m = JSON.parse(await readFile(join(dir, MANIFEST), "utf8")) as ApiBenchManifest;
    return m.version === 6 ? m : undefined;
  } catch {
    return undefined;
  }
}

export interface BuildOptions {
  events: number;
  /** Product chains to register (each 4 products deep, from the 4 processors in turn). */
  productChains: number;
  /** Resources whose traces get `longTraceEntries` more entries (catalogue changes), for pages of 50. */
  longTraces: number;
  longTraceEntries: number;
  /** Distinct request paths per query. */
  pathsPerQuery: number;
  log: (msg: string) => void;
}

const fmt = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 0 });

/** Builds the data set in `dir` (emptied first) and returns its manifest. */
export async function buildApiData(dir: string, o: BuildOptions): Promise<ApiBenchManifest> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  let node: AnvilNode | undefined;
  let db: IndexDb | undefined;
  try {
    // As in the indexer bench: anvil's own state directory in ours; no historical states (nothing reads them).
    node = await startAnvil(["--gas-limit", "1000000000", "--prune-history", "--cache-path", join(dir, "anvil-cache")]);
    const provider = new JsonRpcProvider(node.url, undefined, { cacheTimeout: -1 });
    const keys = anvilDevKeys(10);
    const deployment = await deployLedgerCore(new Wallet(keys[0]!, provider));
    o.log(`anvil on ${node.url}; generating >= ${fmt(o.events)} events`);
    let lastLog = 0;
    const load = await generateLedgerLoad(node.url, deployment, o.events, {
      mining: "manual",
      txPerBlock: 100,
      keys,
      onProgress: (p) => {
        if (p.seconds - lastLog < 10) return;
        lastLog = p.seconds;
        o.log(`load ${p.phase}: ${fmt(p.events)}/${fmt(p.target)} events, ${p.seconds.toFixed(0)} s`);
      },
    });
    if (load.reverted || load.stranded || load.hungWaits) throw new Error(`load generation: ${load.reverted} reverted, ${load.stranded} stranded, ${load.hungWaits} hung`);
    o.log(`load: ${fmt(load.logsOnChain)} events on chain in ${load.seconds.toFixed(1)} s; indexing`);

    db = await openIndexDb(indexDir(dir));
    const indexer = createIndexer({ rpc: createHttpRpc(node.url), db, deployment, maxRange: 100 });
    let t0 = performance.now();
    await indexer.catchUp();
    let indexSeconds = (performance.now() - t0) / 1000;

    // Processors of the load generator: keys 3, 5, 7, 9 (holders are the even ones from 2).
    const wallets = keys.map((k) => new Wallet(k, provider));
    const processors = wallets.filter((_, i) => i >= 3 && i % 2 === 1);
    const holders = wallets.filter((_, i) => i >= 2 && i % 2 === 0);
    const writer = await createWriter(provider, wallets);
    let products: { registered: number; maxDepth: number };
    try {
      products = await registerProductChains(db, writer, deployment, processors, o.productChains, o.log);
      await lengthenTraces(db, writer, deployment, holders, o.longTraces, o.longTraceEntries, o.log);
    } finally {
      await writer.close();
    }

    t0 = performance.now();
    const status = await indexer.catchUp();
    indexSeconds += (performance.now() - t0) / 1000;
    const head = await provider.getBlockNumber();
    const logsOnChain = load.logsOnChain + writer.events();
    if (status.checkpoint.block !== head) throw new Error(`index at block ${status.checkpoint.block}, chain head ${head}`);
    provider.destroy();

    const paths = await choosePaths(db, o.pathsPerQuery);
    const manifest: ApiBenchManifest = {
      version: 6,
      created: new Date().toISOString(),
      chainId: deployment.chainId.toString(),
      regulatorKey: keys[1]!,
      eventsOnChain: logsOnChain,
      eventsIndexed: await countEvents(db),
      blocks: head - deployment.deploymentBlock + 1,
      checkpoint: status.checkpoint.block,
      loadSeconds: load.seconds,
      indexSeconds,
      products: { registered: products.registered, maxDepth: products.maxDepth, chains: o.productChains },
      paths: paths.paths,
      notes: paths.notes,
    };
    if (manifest.eventsIndexed !== logsOnChain) throw new Error(`the index holds ${manifest.eventsIndexed} events, the chain ${logsOnChain}`);
    await writeFile(join(dir, MANIFEST), JSON.stringify(manifest, null, 2) + "\n");
    return manifest;
  } finally {
    await db?.close();
    await node?.stop();
    await rm(join(dir, "anvil-cache"), { recursive: true, force: true });
  }
}

/** The custom error a mined transaction reverted with, decoded with the ledger's ABIs (from a call trace). */
async function revertReason(rpc: (method: string, params: unknown[]) => Promise<unknown>, hash: string): Promise<string> {
  const trace = (await rpc("debug_traceTransaction", [hash, { tracer: "callTracer" }]).catch(() => undefined)) as { output?: string } | undefined;
  const data = trace?.output ?? "0x";
  for (const iface of Object.values(LEDGER_INTERFACES)) {
    try {
      const e = iface.parseError(data);
      if (e) return `${e.name}(${e.args.map(String).join(", ")})`;
    } catch {
      // not this interface's error
    }
  }
  return data;
}

async function countEvents(db: IndexDb): Promise<number> {
  let n = 0;
  for await (const _ of db.keys({ gte: "ev:", lt: prefixEnd("ev:") })) n++;
  return n;
}

interface HeldGrant {
  grantId: bigint;
  resourceId: bigint;
}

/**
 * Registers `chains` chains of 4 products: processor A makes P1 over one or two resources it holds valid grants
 * on; A grants processing-use over P1 to processor B, who makes P2 over P1 and a resource of its own; and so on to
 * P4 (lineage depth 4, fan-in 2 from P2 on). Sent layer by layer, each layer's writes in one block (explicit nonces,
 * manual mining), so 7 blocks in all whatever the number of chains.
 */
async function registerProductChains(db: IndexDb, writer: Writer, deployment: Deployment, processors: Wallet[], chains: number, log: (m: string) => void) {
  const at = await latestPoint(db);
  // Each processor's valid processing-use grants over general-grade enterprise or important resources (not personal,
  // not public: those need consent or an operation authorization the generator does not make).
  const held = new Map<string, HeldGrant[]>();
  for (const w of processors) {
    const list: HeldGrant[] = [];
    const prefix = `gto:${w.address.toLowerCase()}:`;
    for await (const [, id] of db.iterator({ gte: prefix, lt: prefixEnd(prefix) })) {
      const g = await getJson<GrantRecord>(db, K.grant(BigInt(id)));
      if (!g || g.rightType !== "ProcessingUse" || g.subjectKind !== "Resource") continue;
      const r = await getJson<ResourceRecord>(db, K.resource(BigInt(g.subjectId)));
      if (!r || r.category !== "Enterprise") continue;
      if (!(await grantValidityAt(db, BigInt(g.id), at)).valid) continue;
      if (list.some((h) => h.resourceId === BigInt(g.subjectId))) continue;
      list.push({ grantId: BigInt(g.id), resourceId: BigInt(g.subjectId) });
    }
    held.set(w.address, list);
  }
  log(`valid resource grants held by the processors: ${processors.map((w) => held.get(w.address)!.length).join(", ")}`);

  const products = LEDGER_INTERFACES.ProductRegistry;
  const grants = LEDGER_INTERFACES.GrantRegistry;
  const A = deployment.addresses;
  const { layer, events } = writer;
  const eventsBefore = events();
  const idFrom = (r: TransactionReceipt, iface: typeof products, event: string): bigint => {
    for (const l of r.logs) {
      const parsed = iface.parseLog(l);
      if (parsed?.name === event) return parsed.args[0] as bigint;
    }
    throw new Error(`no ${event} in ${r.hash}`);
  };
  // Each resource feeds one product only, so that a lineage's levels hold distinct nodes.
  const used = new Set<bigint>();
  const take = (w: Wallet): HeldGrant => {
    const list = held.get(w.address)!;
    let g = list.shift();
    while (g && used.has(g.resourceId)) g = list.shift();
    if (!g) throw new Error(`processor ${w.address} has no valid resource grant left for a product input`);
    used.add(g.resourceId);
    return g;
  };
  const spec = (c: number, d: number) => ({
    kind: ProductKind.Report,
    delivery: DeliveryMode.Api,
    domain: Domain.Finance,
    environmentHash: "0x" + (BigInt(c * 16 + d + 1) + (1n << 252n)).toString(16).padStart(64, "0"),
    metadataHash: "0x" + (BigInt(c * 16 + d + 1) + (2n << 252n)).toString(16).padStart(64, "0"),
    uri: `ipfs://bench/product/${c}/${d}`,
    operatorBps: 4000,
    publicBps: 0,
  });
  const far = BigInt(at.time) + 10n * 365n * 86_400n;
  const scope = { purposes: 0xff, region: 0, validFrom: BigInt(at.time) - 3600n, validUntil: far, exclusive: false, maySubGrant: false, depth: 0, cap: 0n };

  {
    const who = (c: number, d: number) => processors[(c + d) % processors.length]!;
    // P1: over one resource (even chains) or two.
    let current = (
      await layer(
        Array.from({ length: chains }, (_, c) => {
          const w = who(c, 0);
          const inputs = Array.from({ length: c % 2 === 0 ? 1 : 2 }, () => take(w)).map((g) => ({ kind: SubjectKind.Resource, id: g.resourceId, grantId: g.grantId, shareBps: 3000 }));
          // The shares sum to 10,000 basis points (no public data upstream: no public share).
          return { from: w, to: A.ProductRegistry, data: products.encodeFunctionData("register", [{ ...spec(c, 0), operatorBps: 10_000 - 3000 * inputs.length }, inputs]) };
        }),
      )
    ).map((r) => idFrom(r, products, "ProductRegistered"));
    let registered = chains;
    for (let d = 1; d < 4; d++) {
      // The holder of the previous product grants processing-use over it to the next processor...
      const grantIds = (
        await layer(
          current.map((productId, c) => ({
            from: who(c, d - 1),
            to: A.GrantRegistry,
            data: grants.encodeFunctionData("grant", [RightType.ProcessingUse, SubjectKind.Product, productId, who(c, d).address, scope, "0x" + (BigInt(c * 16 + d) + (3n << 252n)).toString(16).padStart(64, "0"), 0n]),
          })),
        )
      ).map((r) => idFrom(r, grants, "GrantIssued"));
      // ...who registers a product over it and one resource of its own.
      current = (
        await layer(
          current.map((productId, c) => {
            const w = who(c, d);
            const own = take(w);
            const inputs = [
              { kind: SubjectKind.Product, id: productId, grantId: grantIds[c]!, shareBps: 3000 },
              { kind: SubjectKind.Resource, id: own.resourceId, grantId: own.grantId, shareBps: 2000 },
            ];
            return { from: w, to: A.ProductRegistry, data: products.encodeFunctionData("register", [{ ...spec(c, d), operatorBps: 5000 }, inputs]) };
          }),
        )
      ).map((r) => idFrom(r, products, "ProductRegistered"));
      registered += chains;
    }
    log(`registered ${registered} products in ${chains} chains 4 deep (${events() - eventsBefore} events)`);
    return { registered, maxDepth: 4 };
  }
}

interface Writer {
  /** Sends writes (none depending on another of the same call) with explicit nonces, mines them in one block, checks every receipt. */
  layer(writes: { from: Wallet; to: string; data: string }[]): Promise<TransactionReceipt[]>;
  /** Ledger events emitted by the writes so far. */
  events(): number;
}

/** Turns automine off for the writer's life (anvil mines one block per layer); `close` turns it back on. */
async function createWriter(provider: JsonRpcProvider, wallets: Wallet[]): Promise<Writer & { close(): Promise<void> }> {
  const rpc = (method: string, params: unknown[] = []) => provider.send(method, params);
  const nonces = new Map<string, number>();
  for (const w of wallets) nonces.set(w.address, await provider.getTransactionCount(w.address, "pending"));
  await rpc("evm_setAutomine", [false]);
  let events = 0;
  return {
    events: () => events,
    async layer(writes) {
      const sent = [];
      for (const w of writes) {
        const nonce = nonces.get(w.from.address)!;
        nonces.set(w.from.address, nonce + 1);
        sent.push(await w.from.sendTransaction({ to: w.to, data: w.data, nonce, gasLimit: 1_000_000n, maxFeePerGas: 10_000_000_000n, maxPriorityFeePerGas: 0n, type: 2 }));
      }
      await rpc("anvil_mine", ["0x1", "0x1"]);
      const receipts: TransactionReceipt[] = [];
      for (const tx of sent) {
        const r = await provider.getTransactionReceipt(tx.hash);
        if (!r || r.status !== 1) throw new Error(`set-up write ${tx.hash} ${r ? `reverted: ${await revertReason(rpc, tx.hash)}` : "was not mined"}`);
        events += r.logs.length;
        receipts.push(r);
      }
      return receipts;
    },
    close: async () => void (await rpc("evm_setAutomine", [true])),
  };
}

/**
 * Makes `count` resources' traces long: `changes` catalogue changes each (one trace entry apiece), sent by their
 * holders, 200 writes a block. The load generator's subjects have a handful of entries each, too few for a page of 50.
 */
async function lengthenTraces(db: IndexDb, writer: Writer, deployment: Deployment, holders: Wallet[], count: number, changes: number, log: (m: string) => void): Promise<void> {
  const chosen: { id: bigint; holder: Wallet }[] = [];
  for (const w of holders) {
    const prefix = `resby:${w.address.toLowerCase()}:`;
    for await (const [, id] of db.iterator({ gte: prefix, lt: prefixEnd(prefix) })) {
      if (chosen.length >= Math.ceil(((holders.indexOf(w) + 1) * count) / holders.length)) break;
      const r = await getJson<ResourceRecord>(db, K.resource(BigInt(id)));
      if (r && r.status === "Active" && !r.frozen && r.holder === w.address.toLowerCase()) chosen.push({ id: BigInt(r.id), holder: w });
    }
  }
  const iface = LEDGER_INTERFACES.ResourceRegistry;
  const writes = [];
  for (let v = 0; v < changes; v++) {
    for (const { id, holder } of chosen) {
      const hash = "0x" + (BigInt(v + 1) * 2n ** 64n + id + (4n << 252n)).toString(16).padStart(64, "0");
      writes.push({ from: holder, to: deployment.addresses.ResourceRegistry, data: iface.encodeFunctionData("change", [id, hash, `ipfs://bench/catalogue/${id}/${v + 2}`]) });
    }
  }
  const before = writer.events();
  for (let i = 0; i < writes.length; i += 200) await writer.layer(writes.slice(i, i + 200));
  log(`lengthened the traces of ${chosen.length} resources by ${changes} entries each (${writer.events() - before} events)`);
}

/**
 * Request paths, chosen with a seeded PRNG:
 *  - trace: pages of 50 entries of subjects with at least 50, starting at a random entry (cursor);
 *  - validity: a random grant at a random block between its issue and the checkpoint;
 *  - lineage: products at depth >= 3, lineage to depth 3 (up and down);
 *  - floor: the resource record of a random resource (one get).
 */
async function choosePaths(db: IndexDb, n: number): Promise<{ paths: ApiBenchManifest["paths"]; notes: ApiBenchManifest["notes"] }> {
  const random = mulberry32(0x6a9e);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const checkpoint = (await latestPoint(db)).block;

  const heads: TraceHead[] = [];
  let traceSubjectsTotal = 0;
  for await (const [, v] of db.iterator({ gte: "trh:", lt: prefixEnd("trh:") })) {
    traceSubjectsTotal++;
    const h = JSON.parse(v) as TraceHead;
    if (Number(h.seq) >= 50) heads.push(h);
  }
  if (heads.length === 0) throw new Error("no subject has 50 trace entries");
  const trace = Array.from({ length: n }, () => {
    const h = pick(heads);
    const start = Math.floor(random() * (Number(h.seq) - 50 + 1)); // entries start+1 .. start+50
    return `/v1/traces/${h.subject}?limit=50${start > 0 ? `&cursor=${encodeCursor(K.trace(h.subject, BigInt(start)))}` : ""}`;
  });

  const grantList: { id: string; block: number }[] = [];
  for await (const [, v] of db.iterator({ gte: "grant:", lt: prefixEnd("grant:") })) {
    const g = JSON.parse(v) as GrantRecord;
    grantList.push({ id: g.id, block: g.issued.block });
  }
  const validity = Array.from({ length: n }, () => {
    const g = pick(grantList);
    return `/v1/grants/${g.id}/validity?block=${g.block + Math.floor(random() * (checkpoint - g.block + 1))}`;
  });

  const deep: string[] = [];
  for await (const [, v] of db.iterator({ gte: "prod:", lt: prefixEnd("prod:") })) {
    const p = JSON.parse(v) as { id: string; depth: number };
    if (p.depth >= 3) deep.push(p.id);
  }
  if (deep.length === 0) throw new Error("no product at depth >= 3");
  const lineage = Array.from({ length: n }, () => `/v1/products/${pick(deep)}/lineage?depth=3`);

  const resources: string[] = [];
  for await (const k of db.keys({ gte: "res:", lt: prefixEnd("res:") })) resources.push(k.slice(4).replace(/^0+/, ""));
  const floor = Array.from({ length: n }, () => `/floor/resources/${pick(resources)}`);

  return {
    paths: { floor, trace, validity, lineage },
    notes: { traceSubjects: heads.length, traceSubjectsTotal, validityGrants: grantList.length, lineageProducts: deep.length },
  };
}
