import { expect } from "chai";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createIndexer } from "../../src/indexer/sync.js";
import { openIndexDb } from "../../src/store/db.js";
import { K } from "../../src/store/keys.js";
import type { ResourceRecord } from "../../src/indexer/records.js";
import { ethers, h, ledgerFixture, provider } from "../helpers/fixtures.js";
import { deploymentOf } from "../helpers/scenario.js";

describe("Indexer follow mode", function () {
  it("keeps following the head after catching up, and stops when aborted", async function () {
    const fx = await ledgerFixture();
    const dir = await mkdtemp(join(tmpdir(), "drl-follow-"));
    const db = await openIndexDb(dir);
    const indexer = createIndexer({ rpc: provider, db, deployment: await deploymentOf(fx) });
    const stop = new AbortController();
    const following = indexer.follow(stop.signal, 20);
    await (await fx.resources.connect(fx.holder).change(1, h("followed"), "ipfs://followed")).wait();
    const head = await ethers.provider.getBlockNumber();
    const deadline = Date.now() + 10_000;
    while (indexer.status().checkpoint.block < head && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    stop.abort();
    await following;
    expect(indexer.status().checkpoint.block).to.equal(head);
    expect(indexer.status().caughtUp).to.equal(true);
    const r = JSON.parse((await db.get(K.resource(1n)))!) as ResourceRecord;
    expect(r.catalogueUri).to.equal("ipfs://followed");
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });
});
