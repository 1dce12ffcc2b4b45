import { expect } from "chai";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { Wallet, id } from "ethers";
import { ANVIL_KEYS } from "../../scripts/lib/anvil.js";
import { writeDeploymentFile } from "../../src/chain/deployment-file.js";
import { createHttpRpc } from "../../src/chain/rpc.js";
import type { EvidenceBundle } from "../../src/evidence/bundle.js";
import { memberKeyOf } from "../../src/evidence/dispute.js";
import { createIndexer } from "../../src/indexer/sync.js";
import { openIndexDb } from "../../src/store/db.js";
import { DisputeRegistry__factory } from "../../types/ethers-contracts/index.js";
import { drl, startLedger, type TestLedger } from "../cli/harness.js";

describe("drl evidence build --dispute (anvil)", function () {
  this.timeout(120_000);
  let L: TestLedger;
  before(async () => {
    L = await startLedger();
  });
  after(async () => L.stop());

  it("builds a dispute's bundle from the local index and node, and verify accepts it against the node's hash", async function () {
    await L.admit(1, ["HOLDER"]);
    await L.admit(2, ["HOLDER"]);
    const disputes = DisputeRegistry__factory.connect(L.deployment.addresses.DisputeRegistry!, new Wallet(ANVIL_KEYS[1]!, L.provider));
    await (await disputes.open(L.address(2), [memberKeyOf(L.address(2))], id("claim"))).wait();
    await (await disputes.submitEvidence(1n, id("ev:cli"), "ipfs://ev/cli")).wait();
    const dataDir = join(L.dir, "data");
    await mkdir(dataDir, { recursive: true });
    await writeDeploymentFile(join(dataDir, "deployment.json"), L.deployment);
    const db = await openIndexDb(join(dataDir, "index"));
    await createIndexer({ rpc: createHttpRpc(L.node.url), db, deployment: L.deployment }).catchUp();
    await db.close();

    const out = join(L.dir, "dispute-1.json");
    const built = await drl(undefined, ["evidence", "build", "--dispute", "1", "--data-dir", dataDir, "--rpc", L.node.url, "--out", out]);
    expect(built.status, built.stderr).to.equal(0);
    const bundle = JSON.parse(await readFile(out, "utf8")) as EvidenceBundle;
    expect(bundle.about).to.deep.include({ kind: "dispute", disputeId: "1" });
    expect(bundle.dispute!.evidence.map((e) => e.uri)).to.deep.equal(["ipfs://ev/cli"]);
    const ok = await drl(undefined, ["evidence", "verify", out, "--trusted-rpc", L.node.url]);
    expect(ok.status, ok.stdout + ok.stderr).to.equal(0);
    expect(ok.stdout).to.match(/^VERIFIED: dispute 1: /m);

    const both = await drl(undefined, ["evidence", "build", "--dispute", "1", "--subject", memberKeyOf(L.address(2)), "--data-dir", dataDir, "--out", out]);
    expect(both.status).to.equal(2);
    expect(both.stderr).to.match(/one of --subject/);
    const bad = await drl(undefined, ["evidence", "build", "--dispute", "x", "--data-dir", dataDir, "--out", out]);
    expect(bad.status).to.equal(2);
    const missing = await drl(undefined, ["evidence", "build", "--dispute", "7", "--data-dir", dataDir, "--rpc", L.node.url, "--out", out]);
    expect(missing.status).to.not.equal(0);
    expect(missing.stderr).to.match(/dispute 7 does not exist/);
  });
});
