import { expect } from "chai";
import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import type { Signer } from "ethers";
import { ethers, h, ledgerFixture, networkHelpers, ROLES, type LedgerFixture } from "../helpers/fixtures.js";
import { Category, Domain, EntitlementRole, Grade, Invalidity, PriceStatus, RightType, SubjectKind, TradeStatus } from "../helpers/enums.js";
import { admit, buy, grantUse, listedProduct, price, productInput, productSpec, publicProduct, registerResource, resourceInput, terms, CNY, type MarketSetup } from "../helpers/market.js";
import { defaultScope } from "../helpers/fixtures.js";

const setup = async (): Promise<MarketSetup> => listedProduct(await ledgerFixture());
const addr = (s: Signer) => s.getAddress();

/** The entitlements a confirmed trade emitted, from its receipt. */
async function entitlementsOf(f: LedgerFixture, tx: Promise<{ wait: () => Promise<unknown> }>) {
  const receipt = (await (await tx).wait()) as { logs: { topics: readonly string[]; data: string }[] };
  return receipt.logs
    .map((l) => f.market.interface.parseLog(l))
    .filter((e) => e?.name === "EntitlementRecorded")
    .map((e) => ({ party: e!.args.party as string, role: Number(e!.args.role), kind: Number(e!.args.subjectKind), id: e!.args.subjectId as bigint, amount: e!.args.amount as bigint }));
}

async function deliverAndConfirm(f: LedgerFixture, seller: Signer, buyer: Signer, tradeId: bigint) {
  await (await f.market.connect(seller).confirmDelivery(tradeId, h("delivery"))).wait();
  return entitlementsOf(f, f.market.connect(buyer).confirmReceipt(tradeId));
}

describe("Market", function () {
  describe("list", function () {
    it("lists a certified product of a qualified holder, traced on the listing", async function () {
      const f = await setup();
      const l = await f.market.getListing(f.listingId);
      expect(l.seller).to.equal(await addr(f.processor));
      expect(l.productId).to.equal(f.productId);
      expect(l.priceStatus).to.equal(PriceStatus.NotRequired);
      expect(l.price.amount).to.equal(1_000n);
      expect(l.terms.purposes).to.equal(1n);
      const key = ethers.toBeHex((BigInt(SubjectKind.Listing) << 248n) | f.listingId, 32);
      expect(await f.market.traceWord(key)).to.not.equal(ethers.ZeroHash);
    });

    it("refuses bad terms and prices, each with its own error", async function () {
      const f = await setup();
      const m = f.market.connect(f.processor);
      await expect(m.list(f.productId, 0n, terms({ purposes: 0 }), price())).to.be.revertedWithCustomError(f.market, "MarketInvalidTerms");
      await expect(m.list(f.productId, 0n, terms({ term: 0 }), price())).to.be.revertedWithCustomError(f.market, "MarketInvalidTerms");
      await expect(m.list(f.productId, 0n, terms({ termsHash: ethers.ZeroHash }), price())).to.be.revertedWithCustomError(f.market, "MarketEmptyHash");
      await expect(m.list(f.productId, 0n, terms(), price(0n))).to.be.revertedWithCustomError(f.market, "MarketInvalidPrice");
      await expect(m.list(f.productId, 0n, terms(), price(1n, { currency: "0x000000" }))).to.be.revertedWithCustomError(f.market, "MarketInvalidPrice");
      await expect(m.list(f.productId, 0n, terms(), price(1n, { unit: "0x" + "00".repeat(12) }))).to.be.revertedWithCustomError(f.market, "MarketInvalidPrice");
      await expect(f.market.connect(f.processor2).list(f.productId, 0n, terms(), price()))
        .to.be.revertedWithCustomError(f.market, "MarketNotProductHolder")
        .withArgs(f.productId, await addr(f.processor2));
      await expect(m.list(99n, 0n, terms(), price())).to.be.revertedWithCustomError(f.products, "ProductUnknown").withArgs(99n);
    });

    it("needs a qualified seller and a certification at the level the lineage's grade requires", async function () {
      const f = await ledgerFixture();
      const g = await grantUse(f, f.holder, f.processor, SubjectKind.Resource, f.resourceId);
      await (await f.products.connect(f.processor).register(productSpec(), [resourceInput(f.resourceId, g, 7000)])).wait();
      const m = f.market.connect(f.processor);
      await expect(m.list(1n, 0n, terms(), price())).to.be.revertedWithCustomError(f.market, "MarketSellerNotQualified").withArgs(await addr(f.processor));
      const until = BigInt(await networkHelpers.time.latest()) + 1000n;
      await (await f.admission.connect(f.certifier).qualifyMember(await addr(f.processor), 1, until, h("q"))).wait();
      await expect(m.list(1n, 0n, terms(), price())).to.be.revertedWithCustomError(f.market, "MarketCertificationTooLow").withArgs(1n, 0, 0);
      await (await f.admission.connect(f.certifier).certifyProduct(1n, 1, until, h("c"))).wait();
      await (await f.admission.connect(f.gov).setRequiredLevel(Grade.General, 2)).wait();
      await expect(m.list(1n, 0n, terms(), price())).to.be.revertedWithCustomError(f.market, "MarketCertificationTooLow").withArgs(1n, 1, 2);
      await (await f.admission.connect(f.certifier).certifyProduct(1n, 2, until, h("c2"))).wait();
      await expect(m.list(1n, 0n, terms(), price())).to.emit(f.market, "Listed");
      // Ratings lapse: after expiry the seller is no longer qualified.
      await networkHelpers.time.increase(2000);
      await expect(m.list(1n, 0n, terms(), price())).to.be.revertedWithCustomError(f.market, "MarketSellerNotQualified");
    });

    it("refuses a product whose lineage holds a resource on the negative list for the listed purposes", async function () {
      const f = await setup();
      await (await f.admission.connect(f.gov).setNegativeEntry(Domain.PortLogistics, Category.Enterprise, Grade.General, 0b10, h("no profiling"))).wait();
      const m = f.market.connect(f.processor);
      await expect(m.list(f.productId, 0n, terms({ purposes: 0b11 }), price()))
        .to.be.revertedWithCustomError(f.market, "MarketNegativeList")
        .withArgs(f.resourceId, Domain.PortLogistics, Category.Enterprise, Grade.General, 0b10);
      await expect(m.list(f.productId, 0n, terms({ purposes: 0b01 }), price())).to.emit(f.market, "Listed");
    });

    it("refuses a frozen product, and a lineage with an invalid grant, naming the grant and the cause", async function () {
      const f = await setup();
      const m = f.market.connect(f.processor);
      await (await f.grants.connect(f.holder).revoke(f.inputGrantId, h("r"))).wait();
      await expect(m.list(f.productId, 0n, terms(), price()))
        .to.be.revertedWithCustomError(f.market, "MarketLineageInvalid")
        .withArgs(f.productId, f.inputGrantId, Invalidity.Revoked, f.inputGrantId);
      await (await f.products.connect(f.regulator).freeze(f.productId, h("f"))).wait();
      await expect(m.list(f.productId, 0n, terms(), price())).to.be.revertedWithCustomError(f.market, "MarketProductNotTradable").withArgs(f.productId, true, false);
    });

    it("lets the grantee of a valid product-operation grant list, and no one else through it", async function () {
      const f = await setup();
      const scope = await defaultScope({ maySubGrant: false, depth: 0 });
      await (await f.grants.connect(f.processor).grant(RightType.ProductOperation, SubjectKind.Product, f.productId, await addr(f.operator), scope, h("op terms"), 0n)).wait();
      const opGrant = await f.grants.grantCount();
      const until = BigInt(await networkHelpers.time.latest()) + 100_000n;
      await (await f.admission.connect(f.certifier).qualifyMember(await addr(f.operator), 1, until, h("q"))).wait();
      await expect(f.market.connect(f.operator).list(f.productId, opGrant, terms(), price())).to.emit(f.market, "Listed").withArgs(2n, f.productId, await addr(f.operator), opGrant, anyValue, anyValue, PriceStatus.NotRequired);
      await expect(f.market.connect(f.processor2).list(f.productId, opGrant, terms(), price())).to.be.revertedWithCustomError(f.grants, "GrantNotHeld");
      // Revoking the operation grant stops trades on the operator's listing at once.
      await (await f.grants.connect(f.processor).revoke(opGrant, h("end"))).wait();
      await expect(f.market.connect(f.processor2).buy(2n, 1n, h("s"))).to.be.revertedWithCustomError(f.grants, "GrantNotValid").withArgs(opGrant, Invalidity.Revoked, opGrant);
    });
  });

  describe("prices", function () {
    /** Product 2 over a public resource (operator authorization needed), public share 1,000 bps. */
    async function publicListing() {
      const f = await setup();
      const { resourceId: rid, productId } = await publicProduct(f);
      const scope = await defaultScope();
      await (await f.admission.connect(f.certifier).certifyProduct(productId, 1, scope.validUntil, h("c"))).wait();
      await expect(f.market.connect(f.processor).list(productId, 0n, terms(), price(500n))).to.emit(f.market, "Listed").withArgs(2n, productId, anyValue, 0n, anyValue, anyValue, PriceStatus.Pending);
      return { ...f, publicProduct: productId, publicResource: rid, authorizationId: 1n };
    }

    it("trades a product with public inputs only at a price a regulator approved; a new filing needs approval again", async function () {
      const f = await publicListing();
      await expect(f.market.connect(f.processor2).buy(2n, 1n, h("s"))).to.be.revertedWithCustomError(f.market, "MarketPriceNotApproved").withArgs(2n, PriceStatus.Pending);
      await expect(f.market.connect(f.processor).approvePrice(2n, h("ok"))).to.be.revertedWithCustomError(f.members, "MemberMissingRole");
      await expect(f.market.connect(f.regulator).approvePrice(2n, ethers.ZeroHash)).to.be.revertedWithCustomError(f.market, "MarketEmptyHash");
      await expect(f.market.connect(f.regulator).approvePrice(2n, h("ok"))).to.emit(f.market, "PriceApproved");
      await expect(f.market.connect(f.regulator).approvePrice(2n, h("ok"))).to.be.revertedWithCustomError(f.market, "MarketPriceNotPending").withArgs(2n, PriceStatus.Approved);
      await buy(f, f.processor2, 2n);
      await expect(f.market.connect(f.processor).filePrice(2n, price(800n))).to.emit(f.market, "PriceFiled").withArgs(2n, anyValue, anyValue, PriceStatus.Pending);
      await expect(f.market.connect(f.processor2).filePrice(2n, price(800n))).to.be.revertedWithCustomError(f.market, "MarketNotSeller");
      await expect(f.market.connect(f.regulator).rejectPrice(2n, h("too high"))).to.emit(f.market, "PriceRejected");
      await expect(f.market.connect(f.processor2).buy(2n, 1n, h("s2"))).to.be.revertedWithCustomError(f.market, "MarketPriceNotApproved").withArgs(2n, PriceStatus.Rejected);
    });

    it("splits a public product's trade: input holder, public share, operator with the remainder", async function () {
      const f = await publicListing();
      await (await f.market.connect(f.regulator).approvePrice(2n, h("ok"))).wait();
      const tradeId = await buy(f, f.processor2, 2n, 3n); // 1,500
      const e = await deliverAndConfirm(f, f.processor, f.processor2, tradeId);
      expect(e.map((x) => [x.role, x.amount])).to.deep.equal([
        [EntitlementRole.InputHolder, 1050n],
        [EntitlementRole.Public, 150n],
        [EntitlementRole.Operator, 300n],
      ]);
      expect(e[1]!.party).to.equal(await addr(f.gov));
    });

    it("refuses the trade once the operation authorization the input rests on has exited", async function () {
      const f = await publicListing();
      await (await f.market.connect(f.regulator).approvePrice(2n, h("ok"))).wait();
      await (await f.operations.connect(f.gov).exit(f.authorizationId, h("forced exit"))).wait();
      const [, inputGrant] = [0, (await f.products.getInput(f.publicProduct, 0)).grantId];
      await expect(f.market.connect(f.processor2).buy(2n, 1n, h("s")))
        .to.be.revertedWithCustomError(f.market, "MarketLineageInvalid")
        .withArgs(f.publicProduct, inputGrant, Invalidity.AuthorizationEnded, inputGrant);
    });
  });

  describe("buy", function () {
    it("opens a trade and licenses the buyer with the listing's terms", async function () {
      const f = await setup();
      const tx = f.market.connect(f.processor2).buy(f.listingId, 3n, h("settlement"));
      await expect(tx).to.emit(f.market, "TradeOpened").withArgs(1n, f.listingId, await addr(f.processor2), anyValue, anyValue);
      await expect(tx).to.emit(f.grants, "GrantIssued");
      const t = await f.market.getTrade(1n);
      expect([t.status, t.amount, t.productId, t.procurement]).to.deep.equal([BigInt(TradeStatus.Open), 3_000n, f.productId, false]);
      const g = await f.grants.getGrant(t.grantId);
      expect([g.grantee, g.grantor, g.rightType, g.subjectKind, g.subjectId, g.exclusive, g.maySubGrant]).to.deep.equal([
        await addr(f.processor2), await addr(f.processor), BigInt(RightType.ProcessingUse), BigInt(SubjectKind.Product), f.productId, false, false,
      ]);
      expect(g.validUntil - g.validFrom).to.equal(BigInt(terms().term));
      expect(await f.grants.isGrantValid(t.grantId)).to.equal(true);
    });

    it("refuses bad trades, each with its own error", async function () {
      const f = await setup();
      const m = f.market.connect(f.processor2);
      await expect(m.buy(f.listingId, 1n, ethers.ZeroHash)).to.be.revertedWithCustomError(f.market, "MarketEmptyHash");
      await expect(m.buy(f.listingId, 0n, h("s"))).to.be.revertedWithCustomError(f.market, "MarketInvalidQuantity").withArgs(0n);
      await expect(m.buy(99n, 1n, h("s"))).to.be.revertedWithCustomError(f.market, "MarketUnknownListing").withArgs(99n);
      await expect(f.market.connect(f.processor).buy(f.listingId, 1n, h("s"))).to.be.revertedWithCustomError(f.market, "MarketSelfTrade");
      await expect(f.market.connect(f.holder).buy(f.listingId, 1n, h("s"))).to.be.revertedWithCustomError(f.grants, "GrantGranteeNotEligible");
      await (await f.market.connect(f.processor).list(f.productId, 0n, terms(), price(2n ** 127n))).wait();
      await expect(m.buy(2n, 2n, h("s"))).to.be.revertedWithCustomError(f.market, "MarketInvalidQuantity").withArgs(2n);
      await expect(f.grants.connect(f.processor).grantOnSale(f.productId, await addr(f.processor), await addr(f.processor2), await defaultScope(), h("t")))
        .to.be.revertedWithCustomError(f.grants, "GrantCallerNotMarket");
      await expect(f.grants.setMarket(await addr(f.gov))).to.be.revertedWithCustomError(f.grants, "GrantMarketAlreadySet");
      await expect(f.market.connect(f.regulator).delist(f.listingId, ethers.ZeroHash)).to.be.revertedWithCustomError(f.market, "MarketEmptyHash");
      await expect(f.market.connect(f.processor2).delist(f.listingId, h("x"))).to.be.revertedWithCustomError(f.market, "MarketNotSeller");
      await expect(f.market.connect(f.processor).delist(f.listingId, ethers.ZeroHash)).to.emit(f.market, "Delisted");
      await expect(m.buy(f.listingId, 1n, h("s"))).to.be.revertedWithCustomError(f.market, "MarketListingNotActive").withArgs(f.listingId);
    });

    it("re-checks the whole lineage at the block of the trade: frozen resource, withdrawn consent", async function () {
      const f = await setup();
      await (await f.resources.connect(f.regulator).freeze(f.resourceId, h("f"))).wait();
      await expect(f.market.connect(f.processor2).buy(f.listingId, 1n, h("s")))
        .to.be.revertedWithCustomError(f.market, "MarketLineageInvalid")
        .withArgs(f.productId, f.inputGrantId, Invalidity.SubjectFrozen, f.inputGrantId);
      await (await f.resources.connect(f.regulator).unfreeze(f.resourceId, h("u"))).wait();
      await buy(f, f.processor2, f.listingId);

      // A product over personal data: consent withdrawn upstream refuses the trade.
      const rid = await registerResource(f, f.holder2, Category.Personal);
      const scope = await defaultScope();
      await (await f.consents.connect(f.holder2).record(rid, h("merkle"), 0b11, 1000, scope.validUntil)).wait();
      const g = await grantUse(f, f.holder2, f.processor, SubjectKind.Resource, rid);
      await (await f.products.connect(f.processor).register(productSpec(), [resourceInput(rid, g, 7000)])).wait();
      const pid = await f.products.productCount();
      await (await f.admission.connect(f.certifier).certifyProduct(pid, 1, scope.validUntil, h("c"))).wait();
      await (await f.market.connect(f.processor).list(pid, 0n, terms(), price())).wait();
      await (await f.consents.connect(f.regulator).withdraw(1n, 0b01, h("complaint"))).wait();
      await expect(f.market.connect(f.processor2).buy(2n, 1n, h("s")))
        .to.be.revertedWithCustomError(f.market, "MarketLineageInvalid")
        .withArgs(pid, g, Invalidity.ConsentWithdrawn, g);
    });
  });

  describe("delivery, receipt, entitlements", function () {
    it("confirms in two steps and records entitlements that sum to the amount (remainder to the operator)", async function () {
      const f = await setup();
      await (await f.market.connect(f.processor).filePrice(f.listingId, price(10_001n))).wait();
      const tradeId = await buy(f, f.processor2, f.listingId);
      await expect(f.market.connect(f.processor2).confirmReceipt(tradeId)).to.be.revertedWithCustomError(f.market, "MarketTradeStatus").withArgs(tradeId, TradeStatus.Open);
      await expect(f.market.connect(f.processor2).confirmDelivery(tradeId, h("d"))).to.be.revertedWithCustomError(f.market, "MarketNotParty");
      await expect(f.market.connect(f.processor).confirmDelivery(tradeId, ethers.ZeroHash)).to.be.revertedWithCustomError(f.market, "MarketEmptyHash");
      await expect(f.market.connect(f.processor).confirmDelivery(tradeId, h("d"))).to.emit(f.market, "DeliveryConfirmed");
      await expect(f.market.connect(f.processor).confirmReceipt(tradeId)).to.be.revertedWithCustomError(f.market, "MarketNotParty");
      const e = await entitlementsOf(f, f.market.connect(f.processor2).confirmReceipt(tradeId));
      // 70% of 10,001 = 7,000.7 -> 7,000 to the holder; the operator gets 3,000.3 -> 3,000 plus the unit left over.
      expect(e).to.deep.equal([
        { party: await addr(f.holder), role: EntitlementRole.InputHolder, kind: SubjectKind.Resource, id: f.resourceId, amount: 7_000n },
        { party: await addr(f.processor), role: EntitlementRole.Operator, kind: SubjectKind.Product, id: f.productId, amount: 3_001n },
      ]);
      expect(await f.market.owed(await addr(f.holder), CNY)).to.equal(7_000n);
      expect(await f.market.owed(await addr(f.processor), CNY)).to.equal(3_001n);
      expect((await f.market.getTrade(tradeId)).status).to.equal(TradeStatus.Confirmed);
      await expect(f.market.connect(f.processor2).disputeTrade(tradeId, h("late"))).to.be.revertedWithCustomError(f.market, "MarketTradeStatus");
    });

    it("walks the lineage: an input product's share is split again by its own policy", async function () {
      const f = await setup();
      // processor2 buys product 1 and derives product 2 from it and from resource 2 (holder2's).
      const t1 = await buy(f, f.processor2, f.listingId);
      const licence = (await f.market.getTrade(t1)).grantId;
      const r2 = await registerResource(f, f.holder2);
      const g2 = await grantUse(f, f.holder2, f.processor2, SubjectKind.Resource, r2);
      await (await f.products.connect(f.processor2).register(productSpec({ operatorBps: 2000 }), [productInput(f.productId, licence, 5000), resourceInput(r2, g2, 3000)])).wait();
      const p2 = await f.products.productCount();
      await admit(f, f.processor2, p2);
      await (await f.market.connect(f.processor2).list(p2, 0n, terms(), price(10_000n))).wait();
      const t2 = await buy(f, f.processor3, 2n);
      const e = await deliverAndConfirm(f, f.processor2, f.processor3, t2);
      expect(e.map((x) => [x.party, x.role, x.amount])).to.deep.equal([
        [await addr(f.holder), EntitlementRole.InputHolder, 3_500n], // 70% of product 1's 5,000
        [await addr(f.processor), EntitlementRole.Operator, 1_500n], // product 1's operator: its holder
        [await addr(f.holder2), EntitlementRole.InputHolder, 3_000n],
        [await addr(f.processor2), EntitlementRole.Operator, 2_000n],
      ]);
      expect(e.reduce((s, x) => s + x.amount, 0n)).to.equal(10_000n);
      // Revoking the buyer's licence upstream stops trades of the derived product.
      await (await f.grants.connect(f.processor).revoke(licence, h("breach"))).wait();
      await expect(f.market.connect(f.processor3).buy(2n, 1n, h("again")))
        .to.be.revertedWithCustomError(f.market, "MarketLineageInvalid")
        .withArgs(p2, licence, Invalidity.Revoked, licence);
    });

    it("lets either party dispute an open or delivered trade, and only them", async function () {
      const f = await setup();
      const t = await buy(f, f.processor2, f.listingId);
      await expect(f.market.connect(f.processor3).disputeTrade(t, h("x"))).to.be.revertedWithCustomError(f.market, "MarketNotParty");
      await expect(f.market.connect(f.processor2).disputeTrade(t, ethers.ZeroHash)).to.be.revertedWithCustomError(f.market, "MarketEmptyHash");
      await expect(f.market.connect(f.processor2).disputeTrade(t, h("not as described"))).to.emit(f.market, "TradeDisputed");
      await expect(f.market.connect(f.processor).confirmDelivery(t, h("d"))).to.be.revertedWithCustomError(f.market, "MarketTradeStatus").withArgs(t, TradeStatus.Disputed);
      await expect(f.market.getTrade(9n)).to.be.revertedWithCustomError(f.market, "MarketUnknownTrade");
    });
  });

  describe("procurement", function () {
    it("licenses every member marked as a government department, once, with no further trades", async function () {
      const f = await setup();
      await expect(f.market.connect(f.operator).procure(f.listingId, 1n, h("s"))).to.be.revertedWithCustomError(f.market, "MarketNotProcurementAgent");
      await (await f.market.connect(f.gov).setProcurementAgent(await addr(f.operator))).wait();
      await (await f.admission.connect(f.gov).setGovernmentDepartment(await addr(f.processor3), true)).wait();
      await expect(f.market.connect(f.operator).procure(f.listingId, 10n, h("gov procurement")))
        .to.emit(f.market, "TradeOpened")
        .withArgs(1n, f.listingId, await addr(f.operator), anyValue, anyValue);
      expect(await f.market.procurementOf(f.productId)).to.equal(1n);
      expect(await f.market.isProcurementLicensed(f.productId, await addr(f.processor3))).to.equal(true);
      expect(await f.market.isProcurementLicensed(f.productId, await addr(f.processor2))).to.equal(false);
      await expect(f.market.connect(f.processor3).buy(f.listingId, 1n, h("s"))).to.be.revertedWithCustomError(f.market, "MarketAlreadyProcured").withArgs(f.productId, 1n);
      await expect(f.market.connect(f.gov).procure(f.listingId, 1n, h("s"))).to.be.revertedWithCustomError(f.market, "MarketAlreadyProcured");
      await buy(f, f.processor2, f.listingId); // a member that is not a government department still buys
      const e = await deliverAndConfirm(f, f.processor, f.operator, 1n);
      expect(e.reduce((s, x) => s + x.amount, 0n)).to.equal(10_000n);
      await (await f.members.connect(f.gov).suspend(await addr(f.processor3), h("s"))).wait();
      expect(await f.market.isProcurementLicensed(f.productId, await addr(f.processor3))).to.equal(false);
    });
  });

  describe("grantOnSale", function () {
    it("issues only shared, non-sub-grantable licences, whoever the wired market is", async function () {
      const f = await setup();
      // A grant registry whose market is an account, so the registry's own check is reached directly.
      const grants = await ethers.deployContract("GrantRegistry", [await f.members.getAddress(), await f.resources.getAddress()]);
      await (await grants.setMarket(await addr(f.gov))).wait();
      const seller = await addr(f.processor);
      const buyer = await addr(f.processor2);
      for (const o of [{ exclusive: true, maySubGrant: false, depth: 0 }, { exclusive: false, maySubGrant: true, depth: 1 }]) {
        await expect(grants.grantOnSale(f.productId, seller, buyer, await defaultScope(o), h("t"))).to.be.revertedWithCustomError(grants, "GrantSaleScopeNotLeaf");
      }
      await expect(grants.grantOnSale(f.productId, seller, seller, await defaultScope({ maySubGrant: false, depth: 0 }), h("t"))).to.be.revertedWithCustomError(grants, "GrantSelfGrant");
    });
  });

  describe("governance parameters", function () {
    it("refuses a zero beneficiary or agent, and a public product's listing before a beneficiary is named", async function () {
      const f = await setup();
      await expect(f.market.setPublicBeneficiary(ethers.ZeroAddress)).to.be.revertedWithCustomError(f.market, "MarketZeroAddress");
      await expect(f.market.setProcurementAgent(ethers.ZeroAddress)).to.be.revertedWithCustomError(f.market, "MarketZeroAddress");
      await expect(f.market.setPublicBeneficiary(await addr(f.holder2))).to.emit(f.market, "PublicBeneficiarySet");
      expect((await f.market.parties())[0]).to.equal(await addr(f.holder2));
      // A second market, never given a beneficiary, refuses to list a product with public inputs.
      const bare = await ethers.deployContract("Market", [
        await f.members.getAddress(), await f.products.getAddress(), await f.grants.getAddress(), await f.resources.getAddress(), await f.admission.getAddress(),
      ]);
      const { productId: pid } = await publicProduct(f);
      const scope = await defaultScope();
      await (await f.admission.connect(f.certifier).certifyProduct(pid, 1, scope.validUntil, h("c"))).wait();
      await expect(bare.connect(f.processor).list(pid, 0n, terms(), price())).to.be.revertedWithCustomError(bare, "MarketPublicBeneficiaryUnset");
    });

    it("refuses price decisions and filings on a delisted listing, and unknown listings in views", async function () {
      const f = await setup();
      await (await f.market.connect(f.processor).delist(f.listingId, ethers.ZeroHash)).wait();
      await expect(f.market.connect(f.processor).filePrice(f.listingId, price(5n))).to.be.revertedWithCustomError(f.market, "MarketListingNotActive");
      await expect(f.market.connect(f.regulator).rejectPrice(f.listingId, h("x"))).to.be.revertedWithCustomError(f.market, "MarketListingNotActive");
      await expect(f.market.connect(f.regulator).delist(f.listingId, h("x"))).to.be.revertedWithCustomError(f.market, "MarketListingNotActive");
      await expect(f.market.getListing(42n)).to.be.revertedWithCustomError(f.market, "MarketUnknownListing").withArgs(42n);
      await expect(f.market.connect(f.regulator).rejectPrice(42n, h("x"))).to.be.revertedWithCustomError(f.market, "MarketUnknownListing");
      // A listing that needs no approval: a regulator has nothing to decide.
      await (await f.market.connect(f.processor).list(f.productId, 0n, terms(), price())).wait();
      await expect(f.market.connect(f.regulator).rejectPrice(2n, h("x"))).to.be.revertedWithCustomError(f.market, "MarketPriceNotPending").withArgs(2n, PriceStatus.NotRequired);
      await f.market.checkLineage(f.productId); // valid: no revert
      await (await f.grants.connect(f.holder).revoke(f.inputGrantId, h("r"))).wait();
      await expect(f.market.checkLineage(f.productId)).to.be.revertedWithCustomError(f.market, "MarketLineageInvalid");
    });
  });

  describe("lineage bounds", function () {
    it("refuses a product whose lineage would exceed the edge bound, so every walk stays bounded", async function () {
      const f = await ledgerFixture();
      const rs: bigint[] = [f.resourceId];
      for (let i = 0; i < 3; ++i) rs.push(await registerResource(f, f.holder));
      const gs: bigint[] = [];
      for (const r of rs) gs.push(await grantUse(f, f.holder, f.processor, SubjectKind.Resource, r));
      const level = async (maker: Signer, taker: Signer, inputs: { kind: number; id: bigint; grantId: bigint; shareBps: number }[]) => {
        const ids: bigint[] = [];
        for (let i = 0; i < 4; ++i) {
          await (await f.products.connect(maker).register(productSpec({ operatorBps: 2000 }), inputs)).wait();
          ids.push(await f.products.productCount());
        }
        const grants: bigint[] = [];
        for (const id of ids) grants.push(await grantUse(f, maker, taker, SubjectKind.Product, id));
        return ids.map((id, i) => productInput(id, grants[i]!, 2000));
      };
      const a = await level(f.processor, f.processor2, rs.map((r, i) => resourceInput(r, gs[i]!, 2000))); // 4 edges each
      const b = await level(f.processor2, f.processor, a); // 4 + 16 = 20 edges each
      expect((await f.products.getProduct(b[0]!.id)).lineageEdges).to.equal(20n);
      await expect(f.products.connect(f.processor).register(productSpec({ operatorBps: 2000 }), b))
        .to.be.revertedWithCustomError(f.products, "ProductLineageTooLarge")
        .withArgs(84, 64);
    });
  });
});
