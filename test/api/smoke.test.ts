import { expect } from "chai";
import request from "supertest";
import { apiFixture } from "./api-fixture.js";

describe("API smoke", function () {
  it("serves health, the catalogue, a signed-in member's grants and the OpenAPI document", async function () {
    const { app, fx, login } = await apiFixture();
    await request(app).get("/health").expect(200, { status: "ok" });
    await request(app).get("/ready").expect(200);
    const catalogue = await request(app).get("/v1/resources").expect(200);
    expect(catalogue.body.items.length).to.be.greaterThan(0);
    await request(app).get("/v1/grants").expect(401);
    const token = await login(fx.processor);
    const mine = await request(app).get("/v1/grants").set("Authorization", `Bearer ${token}`).expect(200);
    expect(mine.body.items.length).to.be.greaterThan(0);
    const g = await request(app).get(`/v1/grants/${mine.body.items[0].id}`).set("Authorization", `Bearer ${token}`).expect(200);
    expect(g.body.chain.length).to.be.greaterThan(0);
    const doc = await request(app).get("/openapi.json").expect(200);
    expect(doc.body.openapi).to.equal("3.1.0");
    const bad = await request(app).get("/v1/resources?nope=1").expect(400);
    expect(bad.body.error.code).to.equal("DRL-400-VALIDATION");
    await request(app).get("/metrics").expect(200);
  });
});
