import { randomBytes } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ZeroAddress, type Signer } from "ethers";
import type { Deployment } from "../../src/chain/contracts.js";
import request from "supertest";
import type { Express } from "express";
import { createApp } from "../../src/api/app.js";
import type { ApiConfig, ApiDeps } from "../../src/api/deps.js";
import { silentLogger } from "../../src/common/logger.js";
import { createIndexer, type Indexer } from "../../src/indexer/sync.js";
import { DocumentStore } from "../../src/services/documents.js";
import { openIndexDb, type IndexDb } from "../../src/store/db.js";
import { ethers, ledgerFixture, provider, type LedgerFixture } from "../helpers/fixtures.js";
import { deploymentOf, runCoreScenario } from "../helpers/scenario.js";
import { deploySupervisionOn, runSupervisionScenario, type SupervisionContracts } from "./supervision-world.js";

export interface ApiFixture {
  fx: LedgerFixture;
  app: Express;
  db: IndexDb;
  deps: ApiDeps;
  indexer: Indexer;
  /** The supervision contracts, when the fixture was asked for them (their scenario is then played and indexed). */
  supervision?: SupervisionContracts;
  /** Signs in `signer` through the API and returns its bearer token. */
  login(signer: Signer): Promise<string>;
}

export async function apiConfig(overrides: Partial<ApiConfig> = {}): Promise<ApiConfig> {
  return {
    domain: "ledger.test",
    uri: "https://ledger.test",
    chainId: (await ethers.provider.getNetwork()).chainId,
    tokenSecret: randomBytes(32),
    tokenTtlSeconds: 900,
    challengeTtlSeconds: 300,
    rateLimitPerMinute: 100_000,
    loginRateLimitPerMinute: 10_000,
    maxDocumentBytes: 64 * 1024,
    maxPageSize: 100,
    ...overrides,
  };
}

/**
 * Adds a DisputeRegistry to the deployment (no severe-action contract: nothing here executes a holding transfer), so
 * the dispute evidence route has disputes to serve; the access matrix opens one.
 */
async function withDisputeRegistry(fx: LedgerFixture, deployment: Deployment): Promise<Deployment> {
  const registries = {
    resources: await fx.resources.getAddress(),
    grants: await fx.grants.getAddress(),
    products: await fx.products.getAddress(),
    operations: await fx.operations.getAddress(),
    consents: await fx.consents.getAddress(),
  };
  const disputes = await ethers.deployContract("DisputeRegistry", [await fx.members.getAddress(), registries, ZeroAddress, 3 * 24 * 3600]);
  await disputes.waitForDeployment();
  return { ...deployment, addresses: { ...deployment.addresses, DisputeRegistry: await disputes.getAddress() } };
}

/**
 * A ledger with the core scenario played, indexed by the real indexer into a fresh store, served by the app. With
 * `supervision`, the supervision contracts are deployed over it and their scenario played (test/api/supervision-world.ts),
 * and the deployment the indexer reads includes them.
 */
export async function apiFixture(overrides: Partial<ApiConfig> = {}, options: { supervision?: boolean } = {}): Promise<ApiFixture> {
  const fx = await ledgerFixture();
  await runCoreScenario(fx);
  const supervision = options.supervision ? await deploySupervisionOn(fx) : undefined;
  if (supervision) await runSupervisionScenario(fx, supervision);
  const dir = await mkdtemp(join(tmpdir(), "drl-api-"));
  const db = await openIndexDb(join(dir, "index"));
  const core = await deploymentOf(fx);
  const deployment = supervision
    ? {
        ...core,
        addresses: {
          ...core.addresses,
          ReportRegistry: await supervision.reports.getAddress(),
          DisputeRegistry: await supervision.disputes.getAddress(),
          Sanctions: await supervision.sanctions.getAddress(),
          SevereActions: await supervision.severe.getAddress(),
        },
      }
    : await withDisputeRegistry(fx, core);
  // A window longer than the scenario's chain keeps every block's header, so a past block's time is exact (past the
  // window the API can only bound the time of a block without ledger events).
  const indexer = createIndexer({ rpc: provider, db, deployment, reorgWindow: 1_024 });
  await indexer.catchUp();
  const deps: ApiDeps = {
    db,
    indexer,
    documents: new DocumentStore(join(dir, "documents")),
    config: await apiConfig(overrides),
    logger: silentLogger,
    chain: { rpc: provider, deployment },
    now: () => Math.floor(Date.now() / 1000),
  };
  const app = createApp(deps);
  const login = async (signer: Signer): Promise<string> => {
    const address = await signer.getAddress();
    const challenge = await request(app).post("/v1/auth/challenge").send({ address }).expect(200);
    const message = (challenge.body as { message: string }).message;
    const signature = await signer.signMessage(message);
    const res = await request(app).post("/v1/auth/login").send({ message, signature });
    if (res.status !== 200) throw new Error(`login of ${address} failed: ${JSON.stringify(res.body)}`);
    return (res.body as { token: string }).token;
  };
  return { fx, app, db, deps, indexer, supervision, login };
}
