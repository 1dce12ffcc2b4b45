import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SubjectKind } from "../../src/domain/enums.js";
import { subjectKey } from "../../src/domain/trace.js";
import { buildSubjectBundle } from "../../src/evidence/build.js";
import { createIndexer } from "../../src/indexer/sync.js";
import { openIndexDb } from "../../src/store/db.js";
import { ethers, ledgerFixture, provider } from "../helpers/fixtures.js";
import { deploymentOf, runCoreScenario } from "../helpers/scenario.js";

const drl = (args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", "scripts/drl.ts", ...args], { encoding: "utf8", env: { ...process.env, DRL_LOG_LEVEL: "silent" } });

describe("drl evidence verify", function () {
  this.timeout(60_000);
  it("exits 0 on a bundle that verifies, 1 on a tampered one (naming the check), 2 on bad usage", async function () {
    const fx = await ledgerFixture();
    await runCoreScenario(fx);
    const dir = await mkdtemp(join(tmpdir(), "drl-cli-"));
    const db = await openIndexDb(join(dir, "index"));
    const deployment = await deploymentOf(fx);
    await createIndexer({ rpc: provider, db, deployment }).catchUp();
    const bundle = await buildSubjectBundle({ db, rpc: provider, deployment, subject: subjectKey(SubjectKind.Resource, 2n), createdBy: "test" });
    await db.close();
    const trusted = (await ethers.provider.getBlock(bundle.anchor.number))!.hash!;
    const good = join(dir, "good.json");
    const bad = join(dir, "bad.json");
    await writeFile(good, JSON.stringify(bundle));
    bundle.subjects[0]!.entries.pop();
    await writeFile(bad, JSON.stringify(bundle));

    const ok = drl(["evidence", "verify", good, "--trusted-hash", trusted]);
    expect(ok.status, ok.stderr).to.equal(0);
    expect(ok.stdout).to.match(/^VERIFIED: /m);
    const tampered = drl(["evidence", "verify", bad, "--trusted-hash", trusted, "--json"]);
    expect(tampered.status).to.equal(1);
    expect((JSON.parse(tampered.stdout) as { ok: boolean }).ok).to.equal(false);
    const usage = drl(["evidence", "verify", good]);
    expect(usage.status).to.equal(2);
    expect(usage.stderr).to.match(/trusted/);
    await rm(dir, { recursive: true, force: true });
  });
});
