import { expect } from "chai";
import { ledgerFixture, h, networkHelpers, ethers } from "../helpers/fixtures.js";
import { Category, Domain, Grade, OpenClass, ResourceKind } from "../helpers/enums.js";

async function withPersonal() {
  const f = await ledgerFixture();
  await (await f.resources.connect(f.holder).register(ResourceKind.DataSet, Category.Personal, Grade.General, Domain.Health, OpenClass.NotApplicable, h("personal"), "ipfs://personal")).wait();
  const yearOn = BigInt(await networkHelpers.time.latest()) + 365n * 86400n;
  return { ...f, personal: await f.resources.resourceCount(), yearOn };
}

describe("ConsentRegistry", function () {
  it("records consent for a personal resource, by its holder, as the resource's current consent", async function () {
    const f = await withPersonal();
    await expect(f.consents.connect(f.holder).record(f.personal, h("merkle"), 0b101, 2500, f.yearOn))
      .to.emit(f.consents, "ConsentRecorded")
      .withArgs(1n, f.personal, await f.holder.getAddress(), h("merkle"), 0b101, 2500, f.yearOn);
    expect(await f.consents.currentConsent(f.personal)).to.equal(1n);
    expect(await f.consents.covers(1n, 0b001)).to.equal(true);
    expect(await f.consents.covers(1n, 0b010)).to.equal(false);
    expect(await f.consents.covers(1n, 0)).to.equal(false);
    const c = await f.consents.getConsent(1n);
    expect(c.subjects).to.equal(2500n);
  });

  it("reverts on bad input and wrong callers, each with its own error", async function () {
    const f = await withPersonal();
    const c = f.consents.connect(f.holder);
    await expect(c.record(f.resourceId, h("m"), 1, 1, f.yearOn)).to.be.revertedWithCustomError(f.consents, "ConsentNotPersonalResource").withArgs(f.resourceId);
    await expect(c.record(99n, h("m"), 1, 1, f.yearOn)).to.be.revertedWithCustomError(f.consents, "ConsentNotPersonalResource").withArgs(99n);
    await expect(f.consents.connect(f.holder2).record(f.personal, h("m"), 1, 1, f.yearOn))
      .to.be.revertedWithCustomError(f.consents, "ConsentNotHolder")
      .withArgs(f.personal, await f.holder2.getAddress());
    await expect(c.record(f.personal, ethers.ZeroHash, 1, 1, f.yearOn)).to.be.revertedWithCustomError(f.consents, "ConsentEmptyHash");
    await expect(c.record(f.personal, h("m"), 0, 1, f.yearOn)).to.be.revertedWithCustomError(f.consents, "ConsentInvalidPurposes").withArgs(0);
    await expect(c.record(f.personal, h("m"), 1, 0, f.yearOn)).to.be.revertedWithCustomError(f.consents, "ConsentInvalidTerms").withArgs(f.yearOn, 0);
    await expect(c.record(f.personal, h("m"), 1, 5, 1)).to.be.revertedWithCustomError(f.consents, "ConsentInvalidTerms").withArgs(1, 5);
    await expect(f.consents.getConsent(1n)).to.be.revertedWithCustomError(f.consents, "ConsentUnknown").withArgs(1n);
  });

  it("is withdrawn in part or whole by the holder or a regulator, never beyond what it holds", async function () {
    const f = await withPersonal();
    await (await f.consents.connect(f.holder).record(f.personal, h("m"), 0b111, 10, f.yearOn)).wait();
    await expect(f.consents.connect(f.holder2).withdraw(1n, 0b001, h("x")))
      .to.be.revertedWithCustomError(f.consents, "ConsentNotWithdrawer")
      .withArgs(1n, await f.holder2.getAddress());
    await expect(f.consents.connect(f.regulator).withdraw(1n, 0b1000, h("x"))).to.be.revertedWithCustomError(f.consents, "ConsentInvalidPurposes").withArgs(0b1000);
    await expect(f.consents.connect(f.regulator).withdraw(1n, 0, h("x"))).to.be.revertedWithCustomError(f.consents, "ConsentInvalidPurposes").withArgs(0);
    await expect(f.consents.connect(f.regulator).withdraw(1n, 0b001, ethers.ZeroHash)).to.be.revertedWithCustomError(f.consents, "ConsentEmptyHash");
    await expect(f.consents.connect(f.regulator).withdraw(1n, 0b001, h("complaint")))
      .to.emit(f.consents, "ConsentWithdrawn")
      .withArgs(1n, await f.regulator.getAddress(), 0b001, 0b110, h("complaint"));
    expect(await f.consents.covers(1n, 0b001)).to.equal(false);
    await (await f.consents.connect(f.holder).withdraw(1n, 0b110, h("all"))).wait();
    expect((await f.consents.getConsent(1n)).purposes).to.equal(0n);
    await expect(f.consents.connect(f.holder).withdraw(1n, 0b001, h("again"))).to.be.revertedWithCustomError(f.consents, "ConsentInvalidPurposes");
    await expect(f.consents.connect(f.regulator).withdraw(9n, 1, h("x"))).to.be.revertedWithCustomError(f.consents, "ConsentUnknown").withArgs(9n);
  });

  it("lapses at its expiry", async function () {
    const f = await withPersonal();
    const now = BigInt(await networkHelpers.time.latest());
    await (await f.consents.connect(f.holder).record(f.personal, h("m"), 1, 1, now + 50n)).wait();
    expect(await f.consents.covers(1n, 1)).to.equal(true);
    await networkHelpers.time.increase(60);
    expect(await f.consents.covers(1n, 1)).to.equal(false);
  });
});
