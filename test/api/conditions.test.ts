import { expect } from "chai";
import request from "supertest";
import { SubjectKind } from "../../src/domain/enums.js";
import { DeliveryMode, Domain, ProductKind, RightType } from "../helpers/enums.js";
import { defaultScope, h } from "../helpers/fixtures.js";
import { apiFixture, type ApiFixture } from "./api-fixture.js";

/*
 * Operation authorizations and consents through the API, on the indexed core scenario: authorization 1 (processor
 * over public resource 2, evaluated once; its grant 1 was revoked, grant 2 below it) and consent 1 (recorded by
 * holder on personal resource 3, since transferred to holder2; grant 3 rests on it; product 1 is made under grant 3;
 * purpose bit 2 withdrawn by a regulator).
 */
describe("API operation authorizations and consents", function () {
  let f: ApiFixture;
  let auth: { regulator: Record<string, string>; holder: Record<string, string>; holder2: Record<string, string>; processor: Record<string, string>; operator: Record<string, string> };
  const wait = async (p: Promise<{ wait: () => Promise<unknown> }>) => {
    await (await p).wait();
  };
  const get = (path: string, who: Record<string, string>) => request(f.app).get(path).set(who);

  before(async function () {
    f = await apiFixture();
    const bearer = async (s: Parameters<ApiFixture["login"]>[0]) => ({ Authorization: `Bearer ${await f.login(s)}` });
    auth = { regulator: await bearer(f.fx.regulator), holder: await bearer(f.fx.holder), holder2: await bearer(f.fx.holder2), processor: await bearer(f.fx.processor), operator: await bearer(f.fx.operator) };
  });

  it("lists authorizations: the operator its own, a regulator all or by operator and status; others' are 404", async function () {
    const processor = (await f.fx.processor.getAddress()).toLowerCase();
    const own = await get("/v1/operations", auth.processor).expect(200);
    // Authorization 2 is the market round's, over its public resource.
    expect(own.body.items.map((a: { id: string; operator: string }) => [a.id, a.operator])).to.deep.equal([["1", processor], ["2", processor]]);
    expect(own.body.items[0]).to.deep.include({ status: "Active", evaluations: 1, lastScore: 92, exit: null, resourceIds: ["2"] });
    expect((await get("/v1/operations", auth.operator).expect(200)).body.items).to.deep.equal([]);
    expect((await get(`/v1/operations?operator=${processor}&status=Active`, auth.regulator).expect(200)).body.items).to.have.length(2);
    expect((await get(`/v1/operations?operator=${processor}&status=Exited`, auth.regulator).expect(200)).body.items).to.deep.equal([]);
    await get(`/v1/operations?operator=${processor}`, auth.holder).expect(404);
    await get("/v1/operations?status=Ended", auth.regulator).expect(400);
  });

  it("serves an authorization with its covered resources and evaluations; the operator and regulators only", async function () {
    const res = await get("/v1/operations/1", auth.processor).expect(200);
    expect(res.body.inForce).to.equal(true);
    expect(res.body.resources).to.deep.equal([
      { id: "2", holder: (await f.fx.holder.getAddress()).toLowerCase(), kind: "Api", category: "Public", grade: "General", domain: "Health", status: "Active", frozen: false, visible: true },
    ]);
    expect(res.body.evaluations).to.have.length(1);
    expect(res.body.evaluations[0]).to.deep.include({ authorizationId: "1", evaluator: (await f.fx.regulator.getAddress()).toLowerCase(), period: 202611, score: 92, reportHash: h("evaluation:0") });
    expect(res.body.evaluationsTruncated).to.equal(false);
    await get("/v1/operations/1", auth.regulator).expect(200);
    await get("/v1/operations/1", auth.holder).expect(404);
    await get("/v1/operations/1", auth.operator).expect(404);
    await request(f.app).get("/v1/operations/1").expect(401);
  });

  it("tells what an exit would make invalid: grants resting on it, grants below, products down the lineage; then the exit does", async function () {
    const { fx } = f;
    const processor = await fx.processor.getAddress();
    const processor2 = await fx.processor2.getAddress();
    // Before: only the revoked grant 1 and its sub-grant 2 rest on authorization 1 (both already invalid).
    const before = await get("/v1/operations/1/impact", auth.regulator).expect(200);
    expect(before.body.grants).to.deep.equal([
      { id: "1", parentId: "0", grantee: processor.toLowerCase(), validNow: false },
      { id: "2", parentId: "1", grantee: processor2.toLowerCase(), validNow: false },
    ]);
    expect(before.body.products).to.deep.equal([]);

    // A new root grant over resource 2 (rests on authorization 1), a sub-grant, a product under the root grant and a
    // product derived from that product.
    const scope = await defaultScope();
    await wait(fx.grants.connect(fx.holder).grant(RightType.ProcessingUse, SubjectKind.Resource, 2n, processor, scope, h("terms:impact"), 0));
    const root = await fx.grants.grantCount();
    await wait(fx.grants.connect(fx.processor).grant(RightType.ProcessingUse, SubjectKind.Resource, 2n, processor2, { ...scope, depth: 1 }, h("terms:impact:sub"), root));
    const spec = { kind: ProductKind.DataSet, delivery: DeliveryMode.Api, domain: Domain.Health, environmentHash: h("env:impact"), metadataHash: h("meta:impact"), uri: "ipfs://product/impact", operatorBps: 3000, publicBps: 1000 };
    await wait(fx.products.connect(fx.processor).register(spec, [{ kind: SubjectKind.Resource, id: 2n, grantId: root, shareBps: 6000 }]));
    const product = await fx.products.productCount();
    await wait(fx.grants.connect(fx.processor).grant(RightType.ProcessingUse, SubjectKind.Product, product, processor2, await defaultScope({ maySubGrant: false, depth: 0 }), h("terms:impact:product"), 0));
    const overProduct = await fx.grants.grantCount();
    await wait(fx.products.connect(fx.processor2).register({ ...spec, metadataHash: h("meta:impact:2"), uri: "ipfs://product/impact/2" }, [{ kind: SubjectKind.Product, id: product, grantId: overProduct, shareBps: 6000 }]));
    const derived = await fx.products.productCount();
    await f.indexer.catchUp();

    const impact = await get("/v1/operations/1/impact", auth.processor).expect(200);
    expect(impact.body.authorizationId).to.equal("1");
    // The resting root grants first, then what lies below them (depth first).
    expect(impact.body.grants.map((g: { id: string; validNow: boolean }) => [g.id, g.validNow])).to.deep.equal([
      ["1", false],
      [root.toString(), true],
      [(root + 1n).toString(), true],
      ["2", false],
    ]);
    expect(impact.body.products).to.deep.equal([
      { id: product.toString(), holder: processor.toLowerCase(), inputGrantId: root.toString(), fromProductId: null, visible: true },
      // processor2's derived product is public-data only, so readable by anyone.
      { id: derived.toString(), holder: processor2.toLowerCase(), inputGrantId: null, fromProductId: product.toString(), visible: true },
    ]);
    expect(impact.body.truncated).to.equal(false);

    // The operator exits: what the analysis named is invalid now, for the reason it gave.
    await wait(fx.operations.connect(fx.processor).exit(1n, h("exit:voluntary")));
    await f.indexer.catchUp();
    const exited = await get("/v1/operations/1", auth.regulator).expect(200);
    expect(exited.body.authorization.status).to.equal("Exited");
    expect(exited.body.authorization.exit).to.deep.include({ by: processor.toLowerCase(), forced: false, reasonHash: h("exit:voluntary") });
    expect(exited.body.inForce).to.equal(false);
    for (const id of [root, root + 1n]) {
      const v = await get(`/v1/grants/${id}/validity`, auth.regulator).expect(200);
      expect(v.body).to.deep.include({ valid: false, reason: "AuthorizationEnded", atGrant: root.toString() });
    }
    const after = await get("/v1/operations/1/impact", auth.regulator).expect(200);
    expect(after.body.grants.every((g: { validNow: boolean }) => !g.validNow)).to.equal(true);
    expect((await get("/v1/operations?status=Exited", auth.regulator).expect(200)).body.items.map((a: { id: string }) => a.id)).to.deep.equal(["1"]);
  });

  it("lists and serves consents to regulators and the resource's holders, with withdrawals; others get 404", async function () {
    const holder = (await f.fx.holder.getAddress()).toLowerCase();
    const regulator = (await f.fx.regulator.getAddress()).toLowerCase();
    for (const who of [auth.regulator, auth.holder, auth.holder2]) {
      expect((await get("/v1/consents", who).expect(200)).body.items.map((c: { id: string }) => c.id)).to.deep.equal(["1"]);
      expect((await get("/v1/consents?resourceId=3", who).expect(200)).body.items.map((c: { id: string }) => c.id)).to.deep.equal(["1"]);
    }
    expect((await get("/v1/consents?resourceId=2", auth.regulator).expect(200)).body.items).to.deep.equal([]);
    expect((await get("/v1/consents", auth.processor).expect(200)).body.items).to.deep.equal([]);
    expect((await get("/v1/consents?resourceId=3", auth.processor).expect(200)).body.items).to.deep.equal([]);

    const c = await get("/v1/consents/1", auth.holder2).expect(200);
    expect(c.body.consent).to.deep.include({ id: "1", resourceId: "3", holder, commitment: h("consent:0"), purposes: 0b011, subjects: 1200 });
    expect(c.body.live).to.equal(true);
    expect(c.body.withdrawals).to.have.length(1);
    expect(c.body.withdrawals[0]).to.deep.include({ by: regulator, withdrawn: 0b100, remaining: 0b011, reasonHash: h("complaint:0") });
    expect(c.body.withdrawals[0].at.time).to.be.greaterThan(0);
    await get("/v1/consents/1", auth.processor).expect(404);
    await get("/v1/consents/1", auth.operator).expect(404);
    await get("/v1/consents/2", auth.regulator).expect(404);
  });

  it("tells what withdrawing a consent would make invalid; the withdrawal does", async function () {
    const impact = await get("/v1/consents/1/impact", auth.holder2).expect(200);
    expect(impact.body.consentId).to.equal("1");
    expect(impact.body.grants).to.deep.equal([{ id: "3", parentId: "0", grantee: (await f.fx.processor3.getAddress()).toLowerCase(), validNow: true }]);
    // Product 1 is made under grant 3; holder2 is no party to it, so it is named by id only.
    expect(impact.body.products).to.deep.equal([{ id: "1", holder: null, inputGrantId: "3", fromProductId: null, visible: false }]);
    const asRegulator = await get("/v1/consents/1/impact", auth.regulator).expect(200);
    expect(asRegulator.body.products[0]).to.deep.include({ id: "1", visible: true, holder: (await f.fx.processor3.getAddress()).toLowerCase() });
    await get("/v1/consents/1/impact", auth.processor).expect(404);

    await wait(f.fx.consents.connect(f.fx.holder2).withdraw(1n, 0b011, h("withdraw:all")));
    await f.indexer.catchUp();
    const v = await get("/v1/grants/3/validity", auth.regulator).expect(200);
    expect(v.body).to.deep.include({ valid: false, reason: "ConsentWithdrawn", atGrant: "3" });
    const c = await get("/v1/consents/1", auth.regulator).expect(200);
    expect(c.body.live).to.equal(false);
    expect(c.body.withdrawals.map((w: { withdrawn: number; remaining: number }) => [w.withdrawn, w.remaining])).to.deep.equal([
      [0b100, 0b011],
      [0b011, 0],
    ]);
    expect((await get("/v1/consents/1/impact", auth.regulator).expect(200)).body.grants[0].validNow).to.equal(false);
  });
});
