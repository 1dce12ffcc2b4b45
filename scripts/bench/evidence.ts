/**
 * Evidence benchmark: build and verify times and bundle sizes for subjects with 10, 100, 1,000 and 10,000 trace
 * entries, next to the floor: folding the same entries with keccak256 alone. Run: tsx scripts/bench/evidence.ts
 * [--max 10000]. Prints a markdown table and writes bench-results/evidence.{md,json}.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { id, JsonRpcProvider, Wallet } from "ethers";
import { MemberRegistry__factory, ResourceRegistry__factory } from "../../types/ethers-contracts/index.js";
import { deployLedgerCore } from "../../src/chain/deploy.js";
import { createHttpRpc } from "../../src/chain/rpc.js";
import { SubjectKind } from "../../src/domain/enums.js";
import { ZERO_WORD, nextWord, subjectKey } from "../../src/domain/trace.js";
import { buildSubjectBundle } from "../../src/evidence/build.js";
import { verifyBundle } from "../../src/evidence/verify.js";
import { createIndexer } from "../../src/indexer/sync.js";
import { openIndexDb } from "../../src/store/db.js";
import { ANVIL_KEYS, startAnvil } from "../lib/anvil.js";

const { values } = parseArgs({ options: { max: { type: "string", default: "10000" }, save: { type: "boolean", default: false } } });
const sizes = [10, 100, 1_000, 10_000].filter((n) => n <= Number(values.max));
const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;

const node = await startAnvil(["--gas-limit", "300000000"]);
const provider = new JsonRpcProvider(node.url, undefined, { cacheTimeout: -1, batchMaxCount: 1 });
const gov = new Wallet(ANVIL_KEYS[0], provider);
const holder = new Wallet(ANVIL_KEYS[1], provider);
const dir = await mkdtemp(join(tmpdir(), "drl-bench-evidence-"));
try {
  const deployment = await deployLedgerCore(gov);
  const members = MemberRegistry__factory.connect(deployment.addresses.MemberRegistry, gov);
  await (await members.admit(holder.address, id("org:holder"), id("cred:holder"), [id("drl.role.HOLDER")])).wait();
  const resources = ResourceRegistry__factory.connect(deployment.addresses.ResourceRegistry, holder);
  // One resource per size: registration is entry 1, then catalogue changes up to N entries.
  let nonce = await provider.getTransactionCount(holder.address);
  const chainId = deployment.chainId;
  const signed = new Map<number, string>();
  let stranded = 0;
  const send = async (data: string) => {
    const n = nonce++;
    const tx = await holder.signTransaction({ to: deployment.addresses.ResourceRegistry, data, nonce: n, gasLimit: 300_000, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 1n, chainId, type: 2 });
    signed.set(n, tx);
    return provider.send("eth_sendRawTransaction", [tx]) as Promise<string>;
  };
  const t0 = process.hrtime.bigint();
  for (const [i] of sizes.entries()) {
    await send(resources.interface.encodeFunctionData("register", [0, 1, 0, 1, 0, id(`c:${i}`), `ipfs://bench/${i}`]));
  }
  // At most 200 unconfirmed (TOOLCHAIN L: anvil can strand transactions in large bursts); mined is when the
  // account's confirmed nonce catches up, and a stalled node is nudged with evm_mine.
  const settle = async () => {
    for (let tries = 0; ; tries++) {
      const confirmed = await provider.getTransactionCount(holder.address, "latest");
      if (confirmed >= nonce) return;
      if (tries > 600) {
        const pool = await provider.send("txpool_status", []);
        const block = await provider.getBlock("latest");
        throw new Error(`stranded: ${nonce - confirmed} transactions never mined (confirmed nonce ${confirmed}, next ${nonce}, pool ${JSON.stringify(pool)}, baseFee ${block?.baseFeePerGas})`);
      }
      if (tries % 50 === 49) {
        // Stalled: re-broadcast what is not mined yet (anvil sometimes strands a burst), then nudge the miner.
        for (let n = confirmed; n < nonce; n++) {
          stranded++;
          await (provider.send("eth_sendRawTransaction", [signed.get(n)]) as Promise<string>).catch(() => undefined);
        }
        await provider.send("evm_mine", []);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  let pending: Promise<string>[] = [];
  let sent = 0;
  for (const [i, n] of sizes.entries()) {
    for (let k = 1; k < n; k++) {
      pending.push(send(resources.interface.encodeFunctionData("change", [BigInt(i + 1), id(`c:${i}:${k}`), `ipfs://bench/${i}/${k}`])));
      sent++;
      if (pending.length >= 200) {
        await Promise.all(pending);
        await settle();
        signed.clear();
        pending = [];
      }
    }
  }
  await Promise.all(pending);
  await settle();
  console.error(`sent ${sent + sizes.length} transactions in ${(ms(t0) / 1000).toFixed(1)} s (${stranded} re-broadcast after a stall)`);

  const db = await openIndexDb(join(dir, "index"));
  await createIndexer({ rpc: createHttpRpc(node.url), db, deployment }).catchUp();
  const rows: Record<string, number | string>[] = [];
  for (const [i, n] of sizes.entries()) {
    const subject = subjectKey(SubjectKind.Resource, BigInt(i + 1));
    let t = process.hrtime.bigint();
    const bundle = await buildSubjectBundle({ db, rpc: createHttpRpc(node.url), deployment, subject, createdBy: "bench" });
    const build = ms(t);
    const entries = bundle.subjects[0]!.entries;
    if (entries.length !== n) throw new Error(`expected ${n} entries, got ${entries.length}`);
    const trusted = bundle.anchor.hash;
    t = process.hrtime.bigint();
    const verdict = await verifyBundle(bundle, trusted);
    const verify = ms(t);
    if (!verdict.ok) throw new Error(verdict.summary);
    t = process.hrtime.bigint();
    let w = ZERO_WORD;
    for (const e of entries) w = nextWord(w, { subject, seq: BigInt(e.seq), action: e.action, actor: e.actor, payloadHash: e.payloadHash, blockNumber: e.trace.block });
    const floor = ms(t);
    const bytes = Buffer.byteLength(JSON.stringify(bundle));
    if (values.save) {
      await mkdir("bench-results", { recursive: true });
      await writeFile(`bench-results/evidence-bundle-${n}.json`, JSON.stringify(bundle));
    }
    rows.push({ entries: n, buildMs: +build.toFixed(1), verifyMs: +verify.toFixed(1), floorMs: +floor.toFixed(2), verifyOverFloor: +(verify / Math.max(floor, 0.01)).toFixed(1), bundleKiB: +(bytes / 1024).toFixed(1) });
    console.error(JSON.stringify(rows[rows.length - 1]));
  }
  await db.close();
  const md = [
    "| entries | build (ms) | verify (ms) | floor: keccak fold (ms) | verify / floor | bundle (KiB) |",
    "|---:|---:|---:|---:|---:|---:|",
    ...rows.map((r) => `| ${r.entries} | ${r.buildMs} | ${r.verifyMs} | ${r.floorMs} | ${r.verifyOverFloor}× | ${r.bundleKiB} |`),
  ].join("\n");
  console.log(md);
  await mkdir("bench-results", { recursive: true });
  await writeFile("bench-results/evidence.md", md + "\n");
  await writeFile("bench-results/evidence.json", JSON.stringify(rows, null, 2) + "\n");
} finally {
  await node.stop();
  await rm(dir, { recursive: true, force: true });
}
