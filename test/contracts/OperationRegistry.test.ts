import { expect } from "chai";
import { ledgerFixture, h, networkHelpers, ethers, type LedgerFixture } from "../helpers/fixtures.js";
import { AuthorizationStatus, Category, Domain, Grade, OpenClass, ResourceKind } from "../helpers/enums.js";

async function withPublic(count = 1) {
  const f = await ledgerFixture();
  const ids: bigint[] = [];
  for (let i = 0; i < count; i++) {
    await (await f.resources.connect(f.holder).register(ResourceKind.DataSet, Category.Public, Grade.General, Domain.Health, OpenClass.Conditional, h(`public:${i}`), `ipfs://public/${i}`)).wait();
    ids.push(await f.resources.resourceCount());
  }
  const yearOn = BigInt(await networkHelpers.time.latest()) + 365n * 86400n;
  return { ...f, ids, yearOn };
}

const authorize = async (f: LedgerFixture & { ids: bigint[]; yearOn: bigint }) =>
  (await f.operations.authorize(await f.operator.getAddress(), f.ids, h("scenario"), h("conditions"), 0, f.yearOn)).wait();

describe("OperationRegistry", function () {
  describe("authorize", function () {
    it("authorizes an operator over public resources and emits OperationAuthorized", async function () {
      const f = await withPublic(2);
      const op = await f.operator.getAddress();
      await expect(f.operations.authorize(op, f.ids, h("scenario"), h("conditions"), 0, f.yearOn))
        .to.emit(f.operations, "OperationAuthorized")
        .withArgs(1n, op, h("scenario"), h("conditions"), 0, f.yearOn, f.ids);
      expect(await f.operations.authorizationFor(op, f.ids[1]!)).to.equal(1n);
      expect(await f.operations.covers(1n, f.ids[0]!)).to.equal(true);
      expect(await f.operations.covers(1n, f.resourceId)).to.equal(false);
      expect(await f.operations.isAuthorizationValid(1n)).to.equal(true);
      const a = await f.operations.getAuthorization(1n);
      expect(a.operator).to.equal(op);
      expect(a.status).to.equal(BigInt(AuthorizationStatus.Active));
    });

    it("reverts on bad input, each with its own error", async function () {
      const f = await withPublic(6);
      const op = await f.operator.getAddress();
      const o = f.operations;
      await expect(o.authorize(await f.processor.getAddress(), [f.ids[0]!], h("s"), h("c"), 0, f.yearOn))
        .to.be.revertedWithCustomError(o, "OperationOperatorNotEligible")
        .withArgs(await f.processor.getAddress());
      await expect(o.authorize(op, [], h("s"), h("c"), 0, f.yearOn)).to.be.revertedWithCustomError(o, "OperationInvalidResourceCount").withArgs(0, 5);
      await expect(o.authorize(op, f.ids, h("s"), h("c"), 0, f.yearOn)).to.be.revertedWithCustomError(o, "OperationInvalidResourceCount").withArgs(6, 5);
      await expect(o.authorize(op, [f.ids[0]!], ethers.ZeroHash, h("c"), 0, f.yearOn)).to.be.revertedWithCustomError(o, "OperationEmptyHash");
      await expect(o.authorize(op, [f.ids[0]!], h("s"), ethers.ZeroHash, 0, f.yearOn)).to.be.revertedWithCustomError(o, "OperationEmptyHash");
      await expect(o.authorize(op, [f.ids[0]!], h("s"), h("c"), f.yearOn, f.yearOn)).to.be.revertedWithCustomError(o, "OperationInvalidTerm").withArgs(f.yearOn, f.yearOn);
      await expect(o.authorize(op, [f.ids[0]!], h("s"), h("c"), 0, 1)).to.be.revertedWithCustomError(o, "OperationInvalidTerm").withArgs(0, 1);
      await expect(o.authorize(op, [f.resourceId], h("s"), h("c"), 0, f.yearOn)).to.be.revertedWithCustomError(o, "OperationNotPublicResource").withArgs(f.resourceId);
      await expect(o.authorize(op, [99n], h("s"), h("c"), 0, f.yearOn)).to.be.revertedWithCustomError(o, "OperationNotPublicResource").withArgs(99n);
      await expect(o.authorize(op, [f.ids[0]!, f.ids[0]!], h("s"), h("c"), 0, f.yearOn)).to.be.revertedWithCustomError(o, "OperationDuplicateResource").withArgs(f.ids[0]!);
      await expect(o.getAuthorization(1n)).to.be.revertedWithCustomError(o, "OperationUnknown").withArgs(1n);
    });
  });

  describe("evaluate", function () {
    it("records evaluations by governance, regulators and certifiers", async function () {
      const f = await withPublic();
      await authorize(f);
      await expect(f.operations.connect(f.certifier).evaluate(1n, 202611, 88, h("report")))
        .to.emit(f.operations, "OperationEvaluated")
        .withArgs(1n, await f.certifier.getAddress(), 202611, 88, h("report"));
      await expect(f.operations.connect(f.regulator).evaluate(1n, 202612, 101, h("r"))).to.be.revertedWithCustomError(f.operations, "OperationInvalidScore").withArgs(101);
      await expect(f.operations.connect(f.regulator).evaluate(1n, 202612, 70, ethers.ZeroHash)).to.be.revertedWithCustomError(f.operations, "OperationEmptyHash");
      await expect(f.operations.connect(f.regulator).evaluate(7n, 202612, 70, h("r"))).to.be.revertedWithCustomError(f.operations, "OperationUnknown").withArgs(7n);
      await expect(f.operations.connect(f.holder).evaluate(1n, 202612, 70, h("r")))
        .to.be.revertedWithCustomError(f.operations, "OperationNotEvaluator")
        .withArgs(await f.holder.getAddress());
    });
  });

  describe("exit", function () {
    it("ends the authorization, voluntary by its operator or forced by governance, once", async function () {
      const f = await withPublic();
      await authorize(f);
      await expect(f.operations.connect(f.operator).exit(1n, ethers.ZeroHash)).to.be.revertedWithCustomError(f.operations, "OperationEmptyHash");
      await expect(f.operations.connect(f.regulator).exit(1n, h("x")))
        .to.be.revertedWithCustomError(f.operations, "OperationNotExiter")
        .withArgs(1n, await f.regulator.getAddress());
      await expect(f.operations.connect(f.operator).exit(1n, h("done")))
        .to.emit(f.operations, "OperationExitedBy")
        .withArgs(1n, await f.operator.getAddress(), false, h("done"));
      expect(await f.operations.isAuthorizationValid(1n)).to.equal(false);
      await expect(f.operations.exit(1n, h("again"))).to.be.revertedWithCustomError(f.operations, "OperationExited").withArgs(1n);
      await expect(f.operations.connect(f.regulator).evaluate(1n, 1, 1, h("late"))).to.be.revertedWithCustomError(f.operations, "OperationExited").withArgs(1n);
    });

    it("is forced by governance", async function () {
      const f = await withPublic();
      await authorize(f);
      await expect(f.operations.exit(1n, h("forced"))).to.emit(f.operations, "OperationExitedBy").withArgs(1n, await f.gov.getAddress(), true, h("forced"));
    });
  });

  describe("validity", function () {
    it("lapses with the term and with the operator's suspension", async function () {
      const f = await withPublic();
      const now = BigInt(await networkHelpers.time.latest());
      await (await f.operations.authorize(await f.operator.getAddress(), f.ids, h("s"), h("c"), 0, now + 100n)).wait();
      expect(await f.operations.isAuthorizationValid(1n)).to.equal(true);
      await (await f.members.suspend(await f.operator.getAddress(), h("s"))).wait();
      expect(await f.operations.isAuthorizationValid(1n)).to.equal(false);
      await (await f.members.reinstate(await f.operator.getAddress(), h("r"))).wait();
      expect(await f.operations.isAuthorizationValid(1n)).to.equal(true);
      await networkHelpers.time.increase(200);
      expect(await f.operations.isAuthorizationValid(1n)).to.equal(false);
    });
  });
});
