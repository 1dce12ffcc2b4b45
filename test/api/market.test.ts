import { expect } from "chai";
import request from "supertest";
import { RightType, SubjectKind } from "../helpers/enums.js";
import { subjectKey } from "../../src/domain/trace.js";
import { defaultScope, h, networkHelpers } from "../helpers/fixtures.js";
import { CNY, buy, price, terms } from "../helpers/market.js";
import { apiFixture, type ApiFixture } from "./api-fixture.js";

/*
 * The market routes on the core scenario's market round (test/helpers/market.ts; ids in test/api/routes.test.ts),
 * plus, for the impact analyses, a listing by operator under a product-operation grant over product 2 (listing 5)
 * and an open trade on it (trade 5, processor2 buying).
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const ids = (body: Json): string[] => (body.items as { id: string }[]).map((i) => i.id);

describe("API market", function () {
  let f: ApiFixture;
  let auth: Record<"regulator" | "holder" | "processor" | "processor2" | "operator" | "gov", Record<string, string>>;
  let addr: Record<"holder" | "processor" | "processor2" | "operator" | "gov", string>;
  let opGrant: bigint;
  const get = (path: string, who?: Record<string, string>) => (who ? request(f.app).get(path).set(who) : request(f.app).get(path));

  before(async function () {
    f = await apiFixture();
    const { fx } = f;
    const scope = await defaultScope({ maySubGrant: false, depth: 0 });
    await (await fx.grants.connect(fx.processor).grant(RightType.ProductOperation, SubjectKind.Product, 2n, await fx.operator.getAddress(), scope, h("operate product 2"), 0n)).wait();
    opGrant = await fx.grants.grantCount();
    const until = BigInt(await networkHelpers.time.latest()) + 100_000n;
    await (await fx.admission.connect(fx.certifier).qualifyMember(await fx.operator.getAddress(), 1, until, h("operator qualification"))).wait();
    await (await fx.market.connect(fx.operator).list(2n, opGrant, terms(), price(700n))).wait();
    await buy(fx, fx.processor2, 5n, 2n);
    await f.indexer.catchUp();
    const bearer = async (s: Parameters<ApiFixture["login"]>[0]) => ({ Authorization: `Bearer ${await f.login(s)}` });
    auth = {
      regulator: await bearer(fx.regulator),
      holder: await bearer(fx.holder),
      processor: await bearer(fx.processor),
      processor2: await bearer(fx.processor2),
      operator: await bearer(fx.operator),
      gov: await bearer(fx.gov),
    };
    const a = async (s: Parameters<ApiFixture["login"]>[0]) => (await s.getAddress()).toLowerCase();
    addr = { holder: await a(fx.holder), processor: await a(fx.processor), processor2: await a(fx.processor2), operator: await a(fx.operator), gov: await a(fx.gov) };
  });

  describe("GET /v1/listings", function () {
    it("shows anyone the active listings, filtered by product, seller and status, in pages", async function () {
      expect(ids((await get("/v1/listings").expect(200)).body)).to.deep.equal(["1", "3", "4", "5"]);
      expect(ids((await get("/v1/listings?productId=2").expect(200)).body)).to.deep.equal(["1", "5"]);
      expect(ids((await get(`/v1/listings?seller=${addr.operator}`).expect(200)).body)).to.deep.equal(["5"]);
      expect(ids((await get(`/v1/listings?seller=${addr.processor}&productId=3`).expect(200)).body)).to.deep.equal(["3", "4"]);
      expect(ids((await get("/v1/listings?status=Delisted").expect(200)).body)).to.deep.equal([]);
      const first = await get("/v1/listings?limit=2").expect(200);
      expect(ids(first.body)).to.deep.equal(["1", "3"]);
      expect(ids((await get(`/v1/listings?limit=2&cursor=${first.body.nextCursor}`).expect(200)).body)).to.deep.equal(["4", "5"]);
      await get("/v1/listings?status=Sold").expect(400);
      await get("/v1/listings?productId=0").expect(400);
    });

    it("shows a delisted listing to its seller and regulators only", async function () {
      for (const who of [auth.regulator, auth.processor]) expect(ids((await get("/v1/listings?status=Delisted", who).expect(200)).body)).to.deep.equal(["2"]);
      expect(ids((await get("/v1/listings?status=Delisted", auth.holder).expect(200)).body)).to.deep.equal([]);
      await get("/v1/listings/2").expect(404);
      await get("/v1/listings/2", auth.holder).expect(404);
      const delisted = await get("/v1/listings/2", auth.processor).expect(200);
      expect(delisted.body.listing).to.deep.include({ status: "Delisted", seller: addr.processor });
      expect(delisted.body.listing.delisting.reasonHash).to.equal(h("delist:0"));
    });

    it("serves a listing with its price, terms and history, newest first", async function () {
      const res = await get("/v1/listings/1").expect(200);
      expect(res.body.listing).to.deep.include({ id: "1", productId: "2", seller: addr.processor, authorityGrantId: "0", status: "Active", priceStatus: "NotRequired", delisting: null });
      expect(res.body.listing.price).to.deep.equal({ amount: "1234", currency: "CNY", method: "PerCall", unit: "per request." });
      expect(res.body.listing.terms).to.deep.include({ purposes: 1, region: 330200, scenario: 7, termsHash: h("licence terms") });
      expect(res.body.history.map((s: Json) => [s.event, s.price.amount])).to.deep.equal([["PriceFiled", "1234"], ["Listed", "1000"]]);
      expect(res.body.historyTruncated).to.equal(false);
      const decided = await get("/v1/listings/4").expect(200);
      expect(decided.body.history.map((s: Json) => [s.event, s.priceStatus])).to.deep.equal([["PriceRejected", "Rejected"], ["Listed", "Pending"]]);
      expect((await get("/v1/listings/5").expect(200)).body.listing).to.deep.include({ seller: addr.operator, authorityGrantId: opGrant.toString() });
      await get("/v1/listings/999").expect(404);
    });
  });

  describe("GET /v1/trades", function () {
    it("lists a member's own trades as buyer or seller; a regulator any member's, or a listing's", async function () {
      expect(ids((await get("/v1/trades", auth.processor2).expect(200)).body)).to.deep.equal(["1", "2", "4", "5"]);
      expect(ids((await get("/v1/trades", auth.processor).expect(200)).body)).to.deep.equal(["1", "2", "3", "4"]);
      expect(ids((await get("/v1/trades?role=buyer", auth.processor).expect(200)).body)).to.deep.equal([]);
      expect(ids((await get("/v1/trades?role=seller", auth.operator).expect(200)).body)).to.deep.equal(["5"]);
      expect(ids((await get("/v1/trades?role=buyer", auth.operator).expect(200)).body)).to.deep.equal(["3"]);
      expect(ids((await get("/v1/trades?status=Confirmed", auth.processor2).expect(200)).body)).to.deep.equal(["1", "4"]);
      expect(ids((await get("/v1/trades?listingId=1", auth.processor2).expect(200)).body)).to.deep.equal(["1", "2"]);
      expect(ids((await get("/v1/trades", auth.holder).expect(200)).body)).to.deep.equal([]);
      expect(ids((await get("/v1/trades", auth.regulator).expect(200)).body)).to.deep.equal(["1", "2", "3", "4", "5"]);
      expect(ids((await get("/v1/trades?listingId=1&status=Open", auth.regulator).expect(200)).body)).to.deep.equal(["3"]);
      expect(ids((await get(`/v1/trades?party=${addr.operator}`, auth.regulator).expect(200)).body)).to.deep.equal(["3", "5"]);
      await get(`/v1/trades?party=${addr.processor2}`, auth.processor).expect(404);
      expect(ids((await get(`/v1/trades?party=${addr.processor}`, auth.processor).expect(200)).body)).to.have.length(4);
      await get("/v1/trades").expect(401);
      await get("/v1/trades?role=broker", auth.processor).expect(400);
    });

    it("serves a trade with its steps and, once confirmed, entitlements that sum to its amount", async function () {
      const res = await get("/v1/trades/1", auth.processor2).expect(200);
      expect(res.body.trade).to.deep.include({ id: "1", listingId: "1", productId: "2", buyer: addr.processor2, seller: addr.processor, status: "Confirmed", procurement: false, amount: "3702", currency: "CNY", quantity: "3", grantId: "6" });
      expect(res.body.history.map((s: Json) => [s.event, s.status])).to.deep.equal([["TradeOpened", "Open"], ["DeliveryConfirmed", "Delivered"], ["ReceiptConfirmed", "Confirmed"]]);
      // 7,000 bps to the holder of resource 4, the rest to the seller as operator of product 2.
      expect(res.body.entitlements.map((e: Json) => [e.party, e.role, e.subjectKind, e.subjectId, e.amount])).to.deep.equal([
        [addr.holder, "InputHolder", "Resource", "4", "2591"],
        [addr.processor, "Operator", "Product", "2", "1111"],
      ]);
      expect(res.body.trade.receipt.entitlements).to.equal(2);
      const procurement = await get("/v1/trades/3", auth.operator).expect(200);
      expect(procurement.body.trade).to.deep.include({ procurement: true, status: "Open", grantId: "0", buyer: addr.operator });
      expect(procurement.body.entitlements).to.deep.equal([]);
      const disputed = await get("/v1/trades/2", auth.processor).expect(200);
      expect(disputed.body.trade.dispute.by).to.equal(addr.processor2);
      await get("/v1/trades/1", auth.holder).expect(404);
      await get("/v1/trades/1", auth.operator).expect(404);
      await get("/v1/trades/1", auth.regulator).expect(200);
    });
  });

  describe("GET /v1/entitlements", function () {
    it("gives a party its entitlements and totals per currency equal to the market's owed()", async function () {
      for (const [who, account] of [[auth.holder, addr.holder], [auth.processor, addr.processor], [auth.gov, addr.gov]] as const) {
        const res = await get("/v1/entitlements", who).expect(200);
        expect(res.body.party).to.equal(account);
        expect(res.body.totals).to.deep.equal([{ currency: "CNY", amount: (await f.fx.market.owed(account, CNY)).toString() }]);
        const sum = (res.body.items as Json[]).reduce((s, e) => s + BigInt(e.amount), 0n);
        expect(sum.toString()).to.equal(res.body.totals[0].amount);
      }
      // holder: 2,591 of trade 1 and 700 of trade 4; governance the public 100 of trade 4.
      expect((await get("/v1/entitlements", auth.holder).expect(200)).body.totals).to.deep.equal([{ currency: "CNY", amount: "3291" }]);
      expect((await get("/v1/entitlements", auth.gov).expect(200)).body.items.map((e: Json) => [e.tradeId, e.role, e.amount])).to.deep.equal([["4", "Public", "100"]]);
      const none = await get("/v1/entitlements", auth.operator).expect(200);
      expect(none.body).to.deep.include({ totals: [], items: [], nextCursor: null });
      expect((await get(`/v1/entitlements?party=${addr.holder}`, auth.regulator).expect(200)).body.totals[0].amount).to.equal("3291");
      await get(`/v1/entitlements?party=${addr.holder}`, auth.processor).expect(404);
      const page = await get("/v1/entitlements?limit=1", auth.holder).expect(200);
      expect(page.body.items).to.have.length(1);
      expect((await get(`/v1/entitlements?limit=1&cursor=${page.body.nextCursor}`, auth.holder).expect(200)).body.items[0].tradeId).to.equal("4");
    });
  });

  describe("traces and documents of market subjects", function () {
    it("serves a trade's trace and its delivery document to its parties and regulators only", async function () {
      const trade = subjectKey(SubjectKind.Trade, 1n);
      expect((await get(`/v1/traces/${trade}`, auth.processor2).expect(200)).body.items.map((e: Json) => e.actionName)).to.deep.equal(["TRADE_OPENED", "DELIVERY_CONFIRMED", "RECEIPT_CONFIRMED"]);
      await get(`/v1/traces/${trade}`, auth.holder).expect(404);
      // The seller's delivery note, uploaded by a member that is no party: the trade's parties read it as cited.
      const uploader = { Authorization: `Bearer ${await f.login(f.fx.holder2)}` };
      const up = await request(f.app).post("/v1/documents").set(uploader).set("Content-Type", "text/plain").send(Buffer.from("delivery:0", "utf8")).expect(201);
      expect(up.body.hash).to.equal(h("delivery:0"));
      await get(`/v1/documents/${up.body.hash}`, auth.processor2).expect(200);
      await get(`/v1/documents/${up.body.hash}`, auth.holder).expect(404);
    });
  });

  describe("admission and ratings", function () {
    it("serves the positive list to anyone and the negative list and settings to members", async function () {
      expect((await get("/v1/admission/positive-list").expect(200)).body.items.map((e: Json) => e.scenario)).to.deep.equal([100]);
      await get("/v1/admission/negative-list").expect(401);
      const negative = await get("/v1/admission/negative-list", auth.holder).expect(200);
      expect(negative.body.items).to.have.length(1);
      expect(negative.body.items[0]).to.deep.include({ domain: "Health", category: "Personal", grade: "Important", purposes: 0b1000 });
      const settings = await get("/v1/admission/settings", auth.holder).expect(200);
      expect(settings.body.requiredLevels.map((l: Json) => [l.grade, l.level])).to.deep.equal([["Important", 1]]);
      expect(settings.body.governmentDepartments.map((d: Json) => d.account)).to.deep.equal([(await f.fx.processor3.getAddress()).toLowerCase()]);
      expect(settings.body).to.deep.include({ publicBeneficiary: addr.gov, procurementAgent: addr.operator, governmentDepartmentsTruncated: false });
    });

    it("lists ratings by product, member and kind, with revocations", async function () {
      const product2 = await get("/v1/ratings?product=2", auth.holder).expect(200);
      expect(product2.body.items.map((r: Json) => [r.kind, r.revoked])).to.deep.equal([["Certification", false], ["Quality", true]]);
      expect(product2.body.items[1].revocation.by).to.equal((await f.fx.regulator.getAddress()).toLowerCase());
      const quals = await get(`/v1/ratings?member=${addr.operator}`, auth.holder).expect(200);
      expect(quals.body.items.map((r: Json) => [r.kind, r.member, r.productId])).to.deep.equal([["Qualification", addr.operator, null]]);
      expect(ids((await get("/v1/ratings?kind=Qualification", auth.holder).expect(200)).body)).to.have.length(2);
      await get(`/v1/ratings?product=2&member=${addr.operator}`, auth.holder).expect(400);
      await get("/v1/ratings?product=2").expect(401);
    });
  });

  describe("impact analyses", function () {
    it("of a grant list the listings of the products resting on it and their open trades", async function () {
      // Grant 5 (holder → processor over resource 4) is the input of product 2: listings 1 and 5 (2 is delisted).
      const res = await get("/v1/grants/5/impact", auth.regulator).expect(200);
      expect(res.body.products.map((p: Json) => p.id)).to.deep.equal(["2"]);
      expect(res.body.listings.map((l: Json) => [l.id, l.viaProductId, l.authorityGrantId])).to.deep.equal([["1", "2", null], ["5", "2", null]]);
      expect(res.body.trades.map((t: Json) => [t.id, t.status, t.visible])).to.deep.equal([["3", "Open", true], ["5", "Open", true]]);
      expect(res.body.truncated).to.equal(false);
      // The grantor sees the trades it is no party to by id and status only.
      const holder = await get("/v1/grants/5/impact", auth.holder).expect(200);
      expect(holder.body.trades).to.deep.equal([
        { id: "3", listingId: "1", status: "Open", visible: false, buyer: null, seller: null, amount: null, currency: null },
        { id: "5", listingId: "5", status: "Open", visible: false, buyer: null, seller: null, amount: null, currency: null },
      ]);
    });

    it("of a product-operation grant list the listings made under it", async function () {
      const res = await get(`/v1/grants/${opGrant}/impact`, auth.processor).expect(200);
      expect(res.body.products).to.deep.equal([]);
      expect(res.body.listings.map((l: Json) => [l.id, l.viaProductId, l.authorityGrantId])).to.deep.equal([["5", null, opGrant.toString()]]);
      expect(res.body.trades.map((t: Json) => [t.id, t.visible])).to.deep.equal([["5", false]]);
      const seller = await get(`/v1/grants/${opGrant}/impact`, auth.operator).expect(200);
      expect(seller.body.trades[0]).to.deep.include({ visible: true, buyer: addr.processor2, seller: addr.operator, amount: "1400", currency: "CNY" });
    });

    it("of an operation authorization list the listings over the public data it covers", async function () {
      // Authorization 2 covers resource 5, input of product 3 through grant 8: listings 3 and 4, no open trade.
      const res = await get("/v1/operations/2/impact", auth.regulator).expect(200);
      expect(res.body.grants.map((g: Json) => g.id)).to.deep.equal(["8"]);
      expect(res.body.products.map((p: Json) => p.id)).to.deep.equal(["3"]);
      expect(res.body.listings.map((l: Json) => [l.id, l.priceStatus])).to.deep.equal([["3", "Approved"], ["4", "Rejected"]]);
      expect(res.body.trades).to.deep.equal([]);
      // Consent 1 rests under the core product 1, which is not listed.
      const consent = await get("/v1/consents/1/impact", auth.regulator).expect(200);
      expect(consent.body.listings).to.deep.equal([]);
    });
  });
});
