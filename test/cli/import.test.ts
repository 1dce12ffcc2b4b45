import { expect } from "chai";
import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { keccak256, toUtf8Bytes, zeroPadValue } from "ethers";
import { LEDGER_INTERFACES } from "../../src/chain/contracts.js";
import type { ImportReport } from "../../src/cli/import.js";
import { PASSPHRASE, drl, json, startLedger, type TestLedger } from "./harness.js";

const ROWS = 50;
const BAD_INPUT = 7; // an unknown domain: refused before anything is sent
const BAD_CHAIN = 23; // public data without an open class: the contract refuses it (checked with eth_call, never sent)
const text = (row: number) => `catalogue of data set ${row}, edition 2026`;

function catalogueCsv(): string {
  const lines = ["kind,category,grade,domain,open_class,catalogue,uri"];
  for (let row = 1; row <= ROWS; row++) {
    if (row === BAD_INPUT) lines.push(`DataSet,Enterprise,General,Space,,"${text(row)}",ipfs://cat/${row}`);
    else if (row === BAD_CHAIN) lines.push(`Api,Public,General,Health,NotApplicable,"${text(row)}",ipfs://cat/${row}`);
    else lines.push(`${["DataSet", "Api", "Model"][row % 3]},${row % 5 === 0 ? "Public" : "Enterprise"},General,PortLogistics,${row % 5 === 0 ? "Conditional" : ""},"${text(row)}",ipfs://cat/${row}`);
  }
  return lines.join("\n") + "\n";
}

/** ResourceRegistered events per catalogue hash, once anvil's log index has caught up with resourceCount. */
async function registrationsByCatalogue(L: TestLedger): Promise<Map<string, number>> {
  const R = LEDGER_INTERFACES.ResourceRegistry;
  const to = L.deployment.addresses.ResourceRegistry;
  for (let attempt = 0; ; attempt++) {
    const count = Number(R.decodeFunctionResult("resourceCount", await L.provider.call({ to, data: R.encodeFunctionData("resourceCount") }))[0]);
    const logs = await L.provider.getLogs({ address: to, fromBlock: 0, toBlock: "latest", topics: [R.getEvent("ResourceRegistered")!.topicHash, null, zeroPadValue(L.address(1), 32)] });
    if (logs.length === count || attempt > 50) {
      const out = new Map<string, number>();
      for (const log of logs) {
        const hash = R.parseLog(log)!.args.catalogueHash as string;
        out.set(hash, (out.get(hash) ?? 0) + 1);
      }
      return out;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("drl resource import", function () {
  this.timeout(60_000);
  let L: TestLedger;

  before(async function () {
    // Interval mining (a block every 250 ms), so that the import is still running when it is killed.
    L = await startLedger(["--block-time", "0.25"]);
    await L.admit(1, ["HOLDER"]);
  });
  after(async function () {
    await L?.stop();
  });

  it("registers a catalogue once across a kill -9 and a resume, and reports the bad rows with their reasons", async function () {
    const csv = join(L.dir, "catalogue.csv");
    await writeFile(csv, catalogueCsv());
    const journal = `${csv}.journal.jsonl`;
    const args = ["resource", "import", csv, "--concurrency", "6", "--keystore", L.keystore(1)];

    // First run: killed with SIGKILL once a dozen rows are journaled as signed.
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/drl.ts", ...args], {
      env: { ...process.env, DRL_RPC_URL: L.node.url, DRL_DEPLOYMENT: L.deploymentFile, DRL_PASSPHRASE: PASSPHRASE, DRL_KEYSTORE_FAST: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("close", (_code, signal) => resolve(signal)));
    let atKill = { signed: 0, mined: 0 };
    for (;;) {
      const lines = (await readFile(journal, "utf8").catch(() => "")).split("\n").filter((l) => l.endsWith("}"));
      atKill = { signed: lines.filter((l) => l.includes('"t":"signed"')).length, mined: lines.filter((l) => l.includes('"t":"mined"')).length };
      if (atKill.signed >= 12 || child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill("SIGKILL");
    expect(await exited).to.equal("SIGKILL");
    expect(atKill.mined, "the import was killed mid-way").to.be.lessThan(ROWS - 2);

    // Resume: the same command finishes the catalogue.
    const resumed = await drl(L, [...args, "--json"]);
    expect(resumed.status, resumed.stderr).to.equal(1); // one row refused by the chain
    const report = json<ImportReport & { ok: boolean }>(resumed);
    expect(report.rows).to.equal(ROWS);
    expect(report.registered).to.equal(ROWS - 2);
    expect(report.registeredBefore + report.registeredNow).to.equal(ROWS - 2);
    expect(report.unfinished).to.equal(0);
    // Every row journaled as signed before the kill was picked up: found mined, or its signed bytes sent again.
    expect(report.registeredBefore + report.stats.resent).to.be.at.least(atKill.signed);
    if (process.env.DRL_TEST_VERBOSE) console.log({ atKill, before: report.registeredBefore, recovered: report.stats.recovered, resent: report.stats.resent, now: report.registeredNow });
    expect(report.stats.stranded).to.equal(0);
    expect(report.stats.hung).to.equal(0);
    expect(report.failed.map((f) => [f.row, f.line, f.stage, f.error.name])).to.deep.equal([
      [BAD_INPUT, BAD_INPUT + 1, "input", "InvalidInput"],
      [BAD_CHAIN, BAD_CHAIN + 1, "check", "ResourceOpenClassMismatch"],
    ]);
    expect(report.failed[0]!.error.sentence).to.match(/unknown domain "Space"/);
    expect(report.failed[1]!.error.sentence).to.equal(
      "Open class NotApplicable does not fit category Public: public data needs an open class, enterprise and personal data must be NotApplicable.",
    );
    expect(resumed.stderr).to.match(/"event":"import-done"/); // structured progress lines when not on a terminal

    // Every good row exactly once; the bad ones never.
    const counts = await registrationsByCatalogue(L);
    for (let row = 1; row <= ROWS; row++) {
      const expected = row === BAD_INPUT || row === BAD_CHAIN ? 0 : 1;
      expect(counts.get(keccak256(toUtf8Bytes(text(row)))) ?? 0, `row ${row}`).to.equal(expected);
    }
    expect([...counts.values()].reduce((a, b) => a + b, 0)).to.equal(ROWS - 2);
    const ids = report.resources.map((r) => Number(r.resourceId)).sort((a, b) => a - b);
    expect(ids).to.deep.equal(Array.from({ length: ROWS - 2 }, (_, i) => i + 1));

    // A third run finds everything done and sends nothing; the human report lists the bad rows.
    const third = await drl(L, args);
    expect(third.status).to.equal(1);
    expect(third.stdout).to.match(new RegExp(`${ROWS} rows, ${ROWS - 2} registered \\(0 now, ${ROWS - 2} before\\), 2 failed`));
    expect(third.stdout).to.contain(`row ${BAD_INPUT} (line ${BAD_INPUT + 1}): bad input: unknown domain "Space"`);
    expect(third.stdout).to.contain(`row ${BAD_CHAIN} (line ${BAD_CHAIN + 1}): refused: Open class NotApplicable does not fit category Public`);
    expect(third.stdout).to.match(/sent 0 transaction\(s\)/);
    expect((await registrationsByCatalogue(L)).size).to.equal(ROWS - 2);
  });

  it("refuses to resume with a changed input (exit 2)", async function () {
    const csv = join(L.dir, "catalogue.csv");
    await writeFile(csv, catalogueCsv() + `DataSet,Enterprise,General,Finance,,"one more",ipfs://cat/extra\n`);
    const r = await drl(L, ["resource", "import", csv, "--keystore", L.keystore(1)]);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.match(/changed since its journal/);
  });
});
