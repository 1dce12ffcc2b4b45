import { expect } from "chai";
import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { defaultScope, ethers, h, ledgerFixture, networkHelpers, type LedgerFixture } from "../helpers/fixtures.js";
import { Category, DeliveryMode, Domain, Grade, Invalidity, OpenClass, ProductKind, ResourceKind, RightType, SubjectKind } from "../helpers/enums.js";

const spec = (o: Partial<Record<string, unknown>> = {}) => ({
  kind: ProductKind.Report,
  delivery: DeliveryMode.Api,
  domain: Domain.PortLogistics,
  environmentHash: h("env"),
  metadataHash: h("meta"),
  uri: "ipfs://port-index",
  operatorBps: 2000,
  publicBps: 0,
  ...o,
});
const input = (id: bigint, grantId: bigint, shareBps = 8000, kind: number = SubjectKind.Resource) => ({ kind, id, grantId, shareBps });

/** Grant 1 (holder -> processor) over resource 1, and `extra` more resources (2..) with grants 2.. to processor. */
async function withGrants(categories: number[] = [], grades: number[] = []) {
  const f = await ledgerFixture();
  const scope = await defaultScope();
  const to = await f.processor.getAddress();
  await (await f.grants.connect(f.holder).grant(RightType.ProcessingUse, SubjectKind.Resource, 1n, to, scope, h("t1"), 0)).wait();
  for (const [i, category] of categories.entries()) {
    const open = category === Category.Public ? OpenClass.Conditional : OpenClass.NotApplicable;
    await (await f.resources.connect(f.holder).register(ResourceKind.DataSet, category, grades[i] ?? Grade.General, Domain.Finance, open, h(`r${i}`), `ipfs://r${i}`)).wait();
    const rid = await f.resources.resourceCount();
    if (category === Category.Public) {
      await (await f.members.grantRole(ethers.id("drl.role.OPERATOR"), to)).wait().catch(() => undefined);
      await (await f.operations.authorize(to, [rid], h("s"), h("c"), 0, scope.validUntil)).wait();
    }
    if (category === Category.Personal) await (await f.consents.connect(f.holder).record(rid, h("m"), scope.purposes, 10, scope.validUntil)).wait();
    await (await f.grants.connect(f.holder).grant(RightType.ProcessingUse, SubjectKind.Resource, rid, to, scope, h(`t${rid}`), 0)).wait();
  }
  return { ...f, scope };
}

const register = (f: LedgerFixture, s = spec(), inputs = [input(1n, 1n)]) => f.products.connect(f.processor).register(s, inputs);

describe("ProductRegistry", function () {
  describe("register", function () {
    it("registers a product over grant-backed inputs; the registrant holds it and the lineage is recorded", async function () {
      const f = await withGrants();
      await expect(register(f)).to.emit(f.products, "ProductRegistered").withArgs(1n, await f.processor.getAddress(), 1, anyValue, anyValue);
      const p = await f.products.getProduct(1n);
      expect(p.holder).to.equal(await f.processor.getAddress());
      expect(p.depth).to.equal(1n);
      expect(p.inputCount).to.equal(1n);
      expect(p.operatorBps).to.equal(2000n);
      const i0 = await f.products.getInput(1n, 0);
      expect([i0.kind, i0.id, i0.grantId, i0.shareBps]).to.deep.equal([BigInt(SubjectKind.Resource), 1n, 1n, 8000n]);
      await expect(f.products.getInput(1n, 1)).to.be.revertedWithCustomError(f.products, "ProductInvalidInput").withArgs(1);
      expect(await f.products.productCount()).to.equal(1n);
    });

    it("reverts on bad input, each with its own error", async function () {
      const f = await withGrants([Category.Enterprise, Category.Enterprise, Category.Enterprise, Category.Enterprise]);
      const r = (s = spec(), inputs = [input(1n, 1n)]) => register(f, s, inputs);
      await expect(r(spec(), [])).to.be.revertedWithCustomError(f.products, "ProductInvalidInputCount").withArgs(0, 4);
      await expect(r(spec(), [input(1n, 1n, 2000), input(2n, 2n, 2000), input(3n, 3n, 2000), input(4n, 4n, 1000), input(5n, 5n, 1000)])).to.be.revertedWithCustomError(f.products, "ProductInvalidInputCount").withArgs(5, 4);
      await expect(r(spec({ environmentHash: ethers.ZeroHash }))).to.be.revertedWithCustomError(f.products, "ProductInvalidMetadata");
      await expect(r(spec({ uri: "" }))).to.be.revertedWithCustomError(f.products, "ProductInvalidMetadata");
      await expect(r(spec(), [input(1n, 1n, 8000, SubjectKind.Grant)])).to.be.revertedWithCustomError(f.products, "ProductInvalidInput").withArgs(0);
      await expect(r(spec(), [input(1n, 1n, 4000), input(1n, 1n, 4000)])).to.be.revertedWithCustomError(f.products, "ProductInvalidInput").withArgs(1);
      await expect(r(spec(), [input(2n, 1n)])).to.be.revertedWithCustomError(f.grants, "GrantNotHeld").withArgs(1n, await f.processor.getAddress());
      await expect(r(spec(), [input(1n, 99n)])).to.be.revertedWithCustomError(f.grants, "GrantUnknown").withArgs(99n);
      await expect(r(spec({ operatorBps: 1000 }))).to.be.revertedWithCustomError(f.products, "ProductInvalidSharePolicy").withArgs(9000);
      await expect(r(spec({ operatorBps: 1000, publicBps: 1000 }))).to.be.revertedWithCustomError(f.products, "ProductInvalidSharePolicy").withArgs(10000);
      await expect(f.products.connect(f.processor2).register(spec(), [input(1n, 1n)]))
        .to.be.revertedWithCustomError(f.grants, "GrantNotHeld")
        .withArgs(1n, await f.processor2.getAddress());
      await expect(f.products.getProduct(1n)).to.be.revertedWithCustomError(f.products, "ProductUnknown").withArgs(1n);
    });

    it("refuses an input grant that is not valid, naming the cause", async function () {
      const f = await withGrants();
      await (await f.grants.connect(f.regulator).freeze(1n, h("f"))).wait();
      await expect(register(f)).to.be.revertedWithCustomError(f.grants, "GrantNotValid").withArgs(1n, Invalidity.Frozen, 1n);
    });

    it("refuses raw export when important-grade or personal data is upstream, and needs a public share with public inputs", async function () {
      const f = await withGrants([Category.Enterprise, Category.Personal, Category.Public], [Grade.Important]);
      await expect(register(f, spec({ delivery: DeliveryMode.RawExport }), [input(2n, 2n)])).to.be.revertedWithCustomError(f.products, "ProductRawExportRefused");
      await expect(register(f, spec({ delivery: DeliveryMode.RawExport }), [input(3n, 3n)])).to.be.revertedWithCustomError(f.products, "ProductRawExportRefused");
      await (await register(f, spec({ delivery: DeliveryMode.RawExport }), [input(1n, 1n)])).wait();
      await expect(register(f, spec(), [input(4n, 4n)])).to.be.revertedWithCustomError(f.products, "ProductInvalidSharePolicy").withArgs(10000);
      await (await register(f, spec({ operatorBps: 1000, publicBps: 1000 }), [input(4n, 4n)])).wait();
      const p = await f.products.getProduct(2n);
      expect(p.hasPublic).to.equal(true);
    });

    it("builds lineage over products, bounded in depth, and refuses an input product that is frozen (through its grant)", async function () {
      const f = await withGrants();
      const to = await f.processor2.getAddress();
      await (await register(f)).wait();
      let product = 1n;
      // Each level: processor grants processing-use over the product to processor2 ... alternate registrants.
      const signers = [f.processor, f.processor2];
      for (let level = 2; level <= 6; level++) {
        const owner = signers[(level - 2) % 2]!;
        const next = signers[(level - 1) % 2]!;
        await (await f.grants.connect(owner).grant(RightType.ProcessingUse, SubjectKind.Product, product, await next.getAddress(), f.scope, h(`lv${level}`), 0)).wait();
        const grantId = await f.grants.grantCount();
        await (await f.products.connect(next).register(spec(), [input(product, grantId, 8000, SubjectKind.Product)])).wait();
        product = await f.products.productCount();
        expect((await f.products.getProduct(product)).depth).to.equal(BigInt(level));
      }
      const owner = (await f.products.getProduct(product)).holder === to ? f.processor2 : f.processor;
      const next = owner === f.processor ? f.processor2 : f.processor;
      await (await f.grants.connect(owner).grant(RightType.ProcessingUse, SubjectKind.Product, product, await next.getAddress(), f.scope, h("too deep"), 0)).wait();
      await expect(f.products.connect(next).register(spec(), [input(product, await f.grants.grantCount(), 8000, SubjectKind.Product)]))
        .to.be.revertedWithCustomError(f.products, "ProductLineageTooDeep")
        .withArgs(7, 6);
      await (await f.products.connect(f.regulator).freeze(1n, h("frozen input"))).wait();
      await (await f.grants.connect(f.processor).grant(RightType.ProcessingUse, SubjectKind.Product, 1n, await f.processor2.getAddress(), { ...f.scope, purposes: 0b100 }, h("late"), 0).catch(() => undefined));
      await expect(f.products.connect(f.processor2).register(spec(), [input(1n, 2n, 8000, SubjectKind.Product)])).to.be.revertedWithCustomError(f.grants, "GrantNotValid");
    });
  });

  describe("grants over products, freeze and cancel", function () {
    it("lets the holder grant the product-operation right to an operator, valid until the product is frozen or cancelled", async function () {
      const f = await withGrants();
      await (await register(f)).wait();
      const op = await f.operator.getAddress();
      await expect(f.grants.connect(f.processor2).grant(RightType.ProductOperation, SubjectKind.Product, 1n, op, f.scope, h("op"), 0))
        .to.be.revertedWithCustomError(f.products, "ProductNotHolder")
        .withArgs(1n, await f.processor2.getAddress());
      await (await f.grants.connect(f.processor).grant(RightType.ProductOperation, SubjectKind.Product, 1n, op, f.scope, h("op"), 0)).wait();
      const g = await f.grants.grantCount();
      expect(await f.grants.isGrantValid(g)).to.equal(true);
      await expect(f.products.connect(f.regulator).freeze(1n, h("f"))).to.emit(f.products, "ProductFrozen").withArgs(1n, await f.regulator.getAddress(), h("f"));
      await expect(f.products.connect(f.regulator).freeze(1n, h("f"))).to.be.revertedWithCustomError(f.products, "ProductFreezeUnchanged").withArgs(1n, true);
      expect(await f.grants.grantValidity(g)).to.deep.equal([BigInt(Invalidity.SubjectFrozen), g]);
      await expect(f.grants.connect(f.processor).grant(RightType.ProductOperation, SubjectKind.Product, 1n, op, { ...f.scope, purposes: 0b100 }, h("op2"), 0))
        .to.be.revertedWithCustomError(f.products, "ProductIsFrozen")
        .withArgs(1n);
      await (await f.products.connect(f.regulator).unfreeze(1n, h("u"))).wait();
      await expect(f.products.connect(f.regulator).unfreeze(1n, h("u"))).to.be.revertedWithCustomError(f.products, "ProductFreezeUnchanged").withArgs(1n, false);
      await expect(f.products.connect(f.processor).cancel(1n, h("retired"))).to.emit(f.products, "ProductCancelled");
      await expect(f.products.connect(f.processor).cancel(1n, h("again"))).to.be.revertedWithCustomError(f.products, "ProductIsCancelled").withArgs(1n);
      expect(await f.grants.grantValidity(g)).to.deep.equal([BigInt(Invalidity.SubjectCancelled), g]);
      void networkHelpers;
    });
  });
});
