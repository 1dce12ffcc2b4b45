import { expect } from "chai";
import request from "supertest";
import { SubjectKind } from "../../src/domain/enums.js";
import { subjectKey } from "../../src/domain/trace.js";
import { ethers } from "../helpers/fixtures.js";
import { apiFixture } from "../api/api-fixture.js";

describe("Evidence over the API", function () {
  it("hands a party the bundle of its grant, and POST /v1/evidence/verify verifies it and rejects a tampered copy", async function () {
    const { app, fx, login } = await apiFixture();
    const token = await login(fx.processor2);
    const subject = subjectKey(SubjectKind.Grant, 2n);
    const res = await request(app).get(`/v1/evidence/subjects/${subject}`).set("Authorization", `Bearer ${token}`).expect(200);
    const bundle = res.body as { anchor: { number: number }; subjects: { entries: { seq: string }[] }[] };
    const trusted = (await ethers.provider.getBlock(bundle.anchor.number))!.hash!;
    const ok = await request(app).post("/v1/evidence/verify").send({ bundle, trustedBlockHash: trusted }).expect(200);
    expect(ok.body.ok, ok.body.summary).to.equal(true);
    bundle.subjects[0]!.entries[0]!.seq = "7";
    const bad = await request(app).post("/v1/evidence/verify").send({ bundle, trustedBlockHash: trusted }).expect(200);
    expect(bad.body.ok).to.equal(false);
    expect(bad.body.failure.check).to.be.oneOf(["digest", "fold"]);
    // Someone who is not a party to the grant gets nothing.
    const stranger = await login(fx.holder2);
    await request(app).get(`/v1/evidence/subjects/${subject}`).set("Authorization", `Bearer ${stranger}`).expect(404);
    await request(app).post("/v1/evidence/verify").send({ bundle: { format: "x" }, trustedBlockHash: trusted }).expect(400);
  });
});
