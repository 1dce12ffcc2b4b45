import { expect } from "chai";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { Signer } from "ethers";
import request from "supertest";
import { createApp } from "../../src/api/app.js";
import type { ApiDeps } from "../../src/api/deps.js";
import { silentLogger } from "../../src/common/logger.js";
import { createIndexer } from "../../src/indexer/sync.js";
import { DocumentStore } from "../../src/services/documents.js";
import { ethers, provider } from "../helpers/fixtures.js";
import { apiConfig } from "../api/api-fixture.js";
import { disputeScenario } from "./dispute-scenario.js";

describe("Dispute evidence over the API", function () {
  it("GET /v1/evidence/disputes/:id serves regulators, parties and arbiters a bundle that verifies; others get 404", async function () {
    const { fx, deployment, db, dir } = await disputeScenario();
    const indexer = createIndexer({ rpc: provider, db, deployment, reorgWindow: 1_024 });
    await indexer.catchUp();
    const deps: ApiDeps = {
      db,
      indexer,
      documents: new DocumentStore(join(dir, "documents")),
      config: await apiConfig(),
      logger: silentLogger,
      chain: { rpc: provider, deployment },
      now: () => Math.floor(Date.now() / 1000),
    };
    const app = createApp(deps);
    const login = async (signer: Signer): Promise<string> => {
      const challenge = await request(app).post("/v1/auth/challenge").send({ address: await signer.getAddress() }).expect(200);
      const message = (challenge.body as { message: string }).message;
      const res = await request(app).post("/v1/auth/login").send({ message, signature: await signer.signMessage(message) }).expect(200);
      return (res.body as { token: string }).token;
    };
    const get = async (signer: Signer, id: string, status: number) =>
      request(app).get(`/v1/evidence/disputes/${id}`).set("Authorization", `Bearer ${await login(signer)}`).expect(status);
    try {
      for (const who of [fx.regulator, fx.holder2, fx.holder, fx.arbiter, fx.arbiter2]) {
        const res = await get(who, "1", 200);
        const bundle = res.body as { about: { kind: string }; anchor: { number: number } };
        expect(bundle.about.kind).to.equal("dispute");
        const trusted = (await ethers.provider.getBlock(bundle.anchor.number))!.hash!;
        const v = await request(app).post("/v1/evidence/verify").send({ bundle, trustedBlockHash: trusted }).expect(200);
        expect(v.body.ok, v.body.summary).to.equal(true);
      }
      // The processor is the claimant of dispute 2, not a party to dispute 1.
      await get(fx.processor, "1", 404);
      await get(fx.processor, "2", 200);
      await get(fx.regulator, "99", 404);
      await get(fx.regulator, "0", 400);
    } finally {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
