import { expect } from "chai";
import request from "supertest";
import { SubjectKind } from "../../src/domain/enums.js";
import { subjectKey } from "../../src/domain/trace.js";
import { DeliveryMode, Domain, ProductKind, RightType } from "../helpers/enums.js";
import { h } from "../helpers/fixtures.js";
import { apiFixture } from "./api-fixture.js";

describe("API products and lineage", function () {
  it("serves a product with its inputs, and its lineage up and down as nodes and edges", async function () {
    const f = await apiFixture();
    const { fx } = f;
    // A second product over the first (processor3 grants processing-use over product 1 to processor2).
    const scope = { purposes: 0b11, region: 330200, validFrom: 0n, validUntil: 2n ** 40n - 1n, exclusive: false, maySubGrant: false, depth: 0, cap: 0n };
    await (await fx.grants.connect(fx.processor3).grant(RightType.ProcessingUse, SubjectKind.Product, 1n, await fx.processor2.getAddress(), scope, h("over product 1"), 0)).wait();
    const grantId = await fx.grants.grantCount();
    const spec = { kind: ProductKind.Model, delivery: DeliveryMode.Sandbox, domain: Domain.Finance, environmentHash: h("env2"), metadataHash: h("meta2"), uri: "ipfs://product/2", operatorBps: 5000, publicBps: 0 };
    await (await fx.products.connect(fx.processor2).register(spec, [{ kind: SubjectKind.Product, id: 1n, grantId, shareBps: 5000 }])).wait();
    // The market round registered products 2 and 3 (over unrestricted data).
    const second = await fx.products.productCount();
    await f.indexer.catchUp();
    const token = await f.login(fx.regulator);
    const auth = { Authorization: `Bearer ${token}` };

    const p = await request(f.app).get(`/v1/products/${second}`).set(auth).expect(200);
    expect(p.body.depth).to.equal(2);
    expect(p.body.inputs).to.deep.equal([{ kind: "Product", id: "1", grantId: grantId.toString(), shareBps: 5000 }]);

    const lineage = await request(f.app).get("/v1/products/1/lineage?depth=2").set(auth).expect(200);
    const keys = (lineage.body.nodes as { key: string; depth: number }[]).map((n) => [n.key, n.depth]);
    const resourceKey = subjectKey(SubjectKind.Resource, BigInt(p.body.inputs.length ? (await request(f.app).get("/v1/products/1").set(auth)).body.inputs[0].id : 0));
    expect(keys).to.deep.include([subjectKey(SubjectKind.Product, 1n), 0]);
    expect(keys).to.deep.include([resourceKey, -1]);
    expect(keys).to.deep.include([subjectKey(SubjectKind.Product, second), 1]);
    expect(lineage.body.edges).to.deep.include({ from: subjectKey(SubjectKind.Product, 1n), to: subjectKey(SubjectKind.Product, second), grantId: null });
    // Restricted upstream data: the public sees neither product, only the market round's two over unrestricted data.
    await request(f.app).get(`/v1/products/${second}`).expect(404);
    expect((await request(f.app).get("/v1/products").expect(200)).body.items.map((i: { id: string }) => i.id)).to.deep.equal(["2", "3"]);
  });
});
