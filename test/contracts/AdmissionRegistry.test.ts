import { expect } from "chai";
import { ethers, h, ledgerFixture, networkHelpers, ROLES } from "../helpers/fixtures.js";
import { Category, Domain, Grade, RatingKind, SubjectKind } from "../helpers/enums.js";
import { grantUse, productSpec, resourceInput } from "../helpers/market.js";

async function withProduct() {
  const f = await ledgerFixture();
  const g = await grantUse(f, f.holder, f.processor, SubjectKind.Resource, f.resourceId);
  await (await f.products.connect(f.processor).register(productSpec(), [resourceInput(f.resourceId, g, 7000)])).wait();
  const until = BigInt(await networkHelpers.time.latest()) + 1000n;
  return { ...f, productId: 1n, until };
}

describe("AdmissionRegistry", function () {
  it("keeps the negative list per (domain, category, grade) as a purpose mask, governance only", async function () {
    const f = await ledgerFixture();
    const a = f.admission.connect(f.gov);
    await expect(a.setNegativeEntry(Domain.Health, Category.Personal, Grade.Important, 0b100, h("why")))
      .to.emit(f.admission, "NegativeEntrySet")
      .withArgs(Domain.Health, Category.Personal, Grade.Important, 0b100, h("why"), await f.gov.getAddress());
    expect(await f.admission.prohibitedPurposes(Domain.Health, Category.Personal, Grade.Important)).to.equal(0b100n);
    expect(await f.admission.prohibitedPurposes(Domain.Health, Category.Personal, Grade.General)).to.equal(0n);
    await expect(a.setNegativeEntry(Domain.Health, Category.Personal, Grade.Important, 0b100, h("why"))).to.be.revertedWithCustomError(f.admission, "AdmissionInvalidEntry");
    await expect(a.setNegativeEntry(Domain.Health, Category.Personal, Grade.Core, 1, h("why"))).to.be.revertedWithCustomError(f.admission, "AdmissionInvalidEntry");
    await expect(a.setNegativeEntry(Domain.Health, Category.Personal, Grade.General, 1, ethers.ZeroHash)).to.be.revertedWithCustomError(f.admission, "AdmissionEmptyHash");
    await expect(a.setNegativeEntry(Domain.Health, Category.Personal, Grade.Important, 0, h("lifted"))).to.emit(f.admission, "NegativeEntrySet");
    await expect(f.admission.connect(f.regulator).setNegativeEntry(Domain.Health, Category.Personal, Grade.Important, 1, h("x"))).to.be.revertedWithCustomError(f.members, "MemberMissingRole");
  });

  it("keeps the positive list, the required levels and the government departments", async function () {
    const f = await ledgerFixture();
    const a = f.admission.connect(f.gov);
    await expect(a.setPositiveEntry(12, true, h("port index scenario"))).to.emit(f.admission, "PositiveEntrySet");
    expect(await f.admission.isEncouraged(12)).to.equal(true);
    await expect(a.setPositiveEntry(12, true, h("again"))).to.be.revertedWithCustomError(f.admission, "AdmissionInvalidEntry");
    await expect(a.setPositiveEntry(0, true, h("zero"))).to.be.revertedWithCustomError(f.admission, "AdmissionInvalidEntry");
    await expect(a.setPositiveEntry(13, true, ethers.ZeroHash)).to.be.revertedWithCustomError(f.admission, "AdmissionEmptyHash");
    await expect(a.setRequiredLevel(Grade.Important, 3)).to.emit(f.admission, "RequiredLevelSet").withArgs(Grade.Important, 3, await f.gov.getAddress());
    expect(await f.admission.requiredLevel(Grade.Important)).to.equal(3n);
    await expect(a.setRequiredLevel(Grade.Core, 3)).to.be.revertedWithCustomError(f.admission, "AdmissionInvalidEntry");
    await expect(a.setGovernmentDepartment(await f.outsider.getAddress(), true)).to.be.revertedWithCustomError(f.admission, "AdmissionNotMember");
    await expect(a.setGovernmentDepartment(await f.processor3.getAddress(), true)).to.emit(f.admission, "GovernmentDepartmentSet");
    expect(await f.admission.isGovernmentDepartment(await f.processor3.getAddress())).to.equal(true);
    await expect(a.setGovernmentDepartment(await f.processor3.getAddress(), true)).to.be.revertedWithCustomError(f.admission, "AdmissionInvalidEntry");
  });

  it("records certifications, qualifications and assessments; levels lapse on expiry, revocation and suspension", async function () {
    const f = await withProduct();
    const c = f.admission.connect(f.certifier);
    await expect(c.certifyProduct(f.productId, 0, f.until, h("r"))).to.be.revertedWithCustomError(f.admission, "AdmissionInvalidRating");
    await expect(c.certifyProduct(f.productId, 2, 1n, h("r"))).to.be.revertedWithCustomError(f.admission, "AdmissionInvalidRating");
    await expect(c.certifyProduct(f.productId, 2, f.until, ethers.ZeroHash)).to.be.revertedWithCustomError(f.admission, "AdmissionEmptyHash");
    await expect(c.certifyProduct(9n, 2, f.until, h("r"))).to.be.revertedWithCustomError(f.admission, "AdmissionUnknownProduct").withArgs(9n);
    await expect(c.certifyProduct(f.productId, 2, f.until, h("r"))).to.emit(f.admission, "RatingRecorded");
    expect(await f.admission.certificationLevel(f.productId)).to.deep.equal([2n, 1n]);
    const key = ethers.toBeHex((BigInt(SubjectKind.Rating) << 248n) | 1n, 32);
    expect(await f.admission.traceWord(key)).to.not.equal(ethers.ZeroHash);

    await expect(c.qualifyMember(await f.certifier.getAddress(), 1, f.until, h("q"))).to.be.revertedWithCustomError(f.admission, "AdmissionConflictOfInterest");
    await expect(c.qualifyMember(await f.outsider.getAddress(), 1, f.until, h("q"))).to.be.revertedWithCustomError(f.admission, "AdmissionNotMember");
    await (await c.qualifyMember(await f.processor.getAddress(), 3, f.until, h("q"))).wait();
    expect((await f.admission.qualificationLevel(await f.processor.getAddress()))[0]).to.equal(3n);

    await expect(c.assessProduct(f.productId, RatingKind.Certification, 5, h("a"))).to.be.revertedWithCustomError(f.admission, "AdmissionWrongKind");
    await expect(c.assessProduct(f.productId, RatingKind.Valuation, 1_000_000, h("valuation"))).to.emit(f.admission, "RatingRecorded");
    expect((await f.admission.getRating(3n)).value).to.equal(1_000_000n);
    expect(await f.admission.ratingCount()).to.equal(3n);

    await expect(f.admission.connect(f.processor).revokeRating(1n, h("x"))).to.be.revertedWithCustomError(f.admission, "AdmissionNotRevoker");
    await expect(f.admission.connect(f.regulator).revokeRating(1n, ethers.ZeroHash)).to.be.revertedWithCustomError(f.admission, "AdmissionEmptyHash");
    await expect(f.admission.connect(f.regulator).revokeRating(1n, h("fraud"))).to.emit(f.admission, "RatingRevoked");
    await expect(f.admission.connect(f.certifier).revokeRating(1n, h("again"))).to.be.revertedWithCustomError(f.admission, "AdmissionRatingRevoked");
    await expect(f.admission.connect(f.certifier).revokeRating(7n, h("x"))).to.be.revertedWithCustomError(f.admission, "AdmissionUnknownRating");
    expect((await f.admission.certificationLevel(f.productId))[0]).to.equal(0n);

    await (await f.members.connect(f.gov).suspend(await f.processor.getAddress(), h("s"))).wait();
    expect((await f.admission.qualificationLevel(await f.processor.getAddress()))[0]).to.equal(0n);
    await (await f.members.connect(f.gov).reinstate(await f.processor.getAddress(), h("r"))).wait();
    await networkHelpers.time.increase(2000);
    expect((await f.admission.qualificationLevel(await f.processor.getAddress()))[0]).to.equal(0n);
  });

  it("refuses a certifier rating its own product", async function () {
    const f = await withProduct();
    await (await f.members.connect(f.gov).grantRole(ROLES.CERTIFIER, await f.processor.getAddress())).wait();
    await expect(f.admission.connect(f.processor).certifyProduct(f.productId, 1, f.until, h("self")))
      .to.be.revertedWithCustomError(f.admission, "AdmissionConflictOfInterest")
      .withArgs(await f.processor.getAddress());
  });
});
