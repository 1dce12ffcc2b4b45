import { expect } from "chai";
import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import type { Signer } from "ethers";
import { ledgerFixture, defaultScope, h, networkHelpers, ethers, ROLES, NO_EXPIRY, type ScopeInput, type LedgerFixture } from "../helpers/fixtures.js";
import { Category, Domain, Grade, Invalidity, OpenClass, ResourceKind, RightType, ScopeField, SubjectKind } from "../helpers/enums.js";

const PU = RightType.ProcessingUse;
const RES = SubjectKind.Resource;

async function rootGrant(f: LedgerFixture, grantee: Signer, scope: ScopeInput, resourceId: bigint = f.resourceId) {
  return f.grants.connect(f.holder).grant(PU, RES, resourceId, await grantee.getAddress(), scope, h("terms"), 0);
}

/** Root grant 1 (holder -> processor, sub-grantable depth 2) and sub-grant 2 (processor -> processor2, depth 1). */
async function withChain() {
  const f = await ledgerFixture();
  const scope = await defaultScope();
  await (await rootGrant(f, f.processor, scope)).wait();
  const sub = { ...scope, depth: 1, purposes: 0b01 };
  await (await f.grants.connect(f.processor).grant(PU, RES, f.resourceId, await f.processor2.getAddress(), sub, h("terms:sub"), 1)).wait();
  return { ...f, scope, sub };
}

describe("GrantRegistry", function () {
  describe("grant (root)", function () {
    it("issues a grant and emits GrantIssued with the full scope", async function () {
      const f = await ledgerFixture();
      const scope = await defaultScope();
      const grantee = await f.processor.getAddress();
      await expect(rootGrant(f, f.processor, scope))
        .to.emit(f.grants, "GrantIssued")
        .withArgs(1n, 0n, grantee, await f.holder.getAddress(), PU, RES, f.resourceId, Object.values(scope), h("terms"), 0n, 0n);
      const g = await f.grants.getGrant(1);
      expect(g.grantee).to.equal(grantee);
      expect(g.grantor).to.equal(await f.holder.getAddress());
      expect(g.subjectId).to.equal(f.resourceId);
      expect(g.purposes).to.equal(BigInt(scope.purposes));
      expect(g.region).to.equal(BigInt(scope.region));
      expect(g.maySubGrant).to.equal(true);
      expect(await f.grants.isGrantValid(1)).to.equal(true);
      expect(await f.grants.grantCount()).to.equal(1n);
    });

    it("keeps no scope in storage for a grant that cannot be sub-granted", async function () {
      const f = await ledgerFixture();
      await (await rootGrant(f, f.processor, await defaultScope({ maySubGrant: false, depth: 0 }))).wait();
      const g = await f.grants.getGrant(1);
      expect(g.maySubGrant).to.equal(false);
      expect(g.purposes).to.equal(0n);
      expect(g.subjectId).to.equal(f.resourceId);
    });

    it("reverts with GrantRightNotGrantable for the holding right and for product-operation on a resource", async function () {
      const f = await ledgerFixture();
      const scope = await defaultScope();
      const to = await f.processor.getAddress();
      await expect(f.grants.connect(f.holder).grant(RightType.Holding, RES, 1, to, scope, h("t"), 0))
        .to.be.revertedWithCustomError(f.grants, "GrantRightNotGrantable")
        .withArgs(RightType.Holding, RES);
      await expect(f.grants.connect(f.holder).grant(RightType.ProductOperation, RES, 1, to, scope, h("t"), 0))
        .to.be.revertedWithCustomError(f.grants, "GrantRightNotGrantable")
        .withArgs(RightType.ProductOperation, RES);
      await expect(f.grants.connect(f.holder).grant(PU, SubjectKind.Member, 1, to, scope, h("t"), 0))
        .to.be.revertedWithCustomError(f.grants, "GrantRightNotGrantable")
        .withArgs(PU, SubjectKind.Member);
    });

    it("sends a grant over a product to the product registry, which refuses an unknown product", async function () {
      const f = await ledgerFixture();
      await expect(f.grants.connect(f.processor).grant(PU, SubjectKind.Product, 1, await f.processor2.getAddress(), await defaultScope(), h("t"), 0))
        .to.be.revertedWithCustomError(f.products, "ProductUnknown")
        .withArgs(1n);
    });

    it("reverts on bad input, each with its own error", async function () {
      const f = await ledgerFixture();
      const to = await f.processor.getAddress();
      const scope = await defaultScope();
      const g = f.grants.connect(f.holder);
      await expect(g.grant(PU, RES, 1, ethers.ZeroAddress, scope, h("t"), 0)).to.be.revertedWithCustomError(f.grants, "GrantZeroGrantee");
      await expect(g.grant(PU, RES, 1, to, scope, ethers.ZeroHash, 0)).to.be.revertedWithCustomError(f.grants, "GrantEmptyHash");
      await expect(g.grant(PU, RES, 1, to, { ...scope, purposes: 0 }, h("t"), 0)).to.be.revertedWithCustomError(f.grants, "GrantEmptyPurposes");
      await expect(g.grant(PU, RES, 1, to, { ...scope, validUntil: scope.validFrom }, h("t"), 0))
        .to.be.revertedWithCustomError(f.grants, "GrantInvalidWindow")
        .withArgs(scope.validFrom, scope.validFrom);
      const past = scope.validFrom - 10n;
      await expect(g.grant(PU, RES, 1, to, { ...scope, validFrom: past - 100n, validUntil: past }, h("t"), 0))
        .to.be.revertedWithCustomError(f.grants, "GrantInvalidWindow")
        .withArgs(past - 100n, past);
      await expect(g.grant(PU, RES, 1, to, { ...scope, depth: 9 }, h("t"), 0))
        .to.be.revertedWithCustomError(f.grants, "GrantDepthOverflow")
        .withArgs(9, 8);
      await expect(g.grant(PU, RES, 1, await f.holder.getAddress(), scope, h("t"), 0)).to.be.revertedWithCustomError(f.grants, "GrantSelfGrant");
      await expect(g.grant(PU, RES, 1, await f.operator.getAddress(), scope, h("t"), 0))
        .to.be.revertedWithCustomError(f.grants, "GrantGranteeNotEligible")
        .withArgs(await f.operator.getAddress(), ROLES.PROCESSOR);
      await expect(g.grant(PU, RES, 1, await f.suspended.getAddress(), scope, h("t"), 0))
        .to.be.revertedWithCustomError(f.grants, "GrantGranteeNotEligible")
        .withArgs(await f.suspended.getAddress(), ROLES.PROCESSOR);
      expect(await f.grants.grantCount()).to.equal(0n);
    });

    it("refuses a subject that may not circulate, with the resource registry's error", async function () {
      const f = await ledgerFixture();
      const scope = await defaultScope();
      await expect(rootGrant(f, f.processor, scope, 99n)).to.be.revertedWithCustomError(f.resources, "ResourceUnknown").withArgs(99n);
      await (await f.resources.connect(f.holder).register(ResourceKind.DataSet, Category.Enterprise, Grade.Core, Domain.Finance, OpenClass.NotApplicable, h("core"), "ipfs://core")).wait();
      await expect(rootGrant(f, f.processor, scope, 2n)).to.be.revertedWithCustomError(f.resources, "ResourceCoreGrade").withArgs(2n);
      await (await f.resources.connect(f.regulator).freeze(1, h("freeze"))).wait();
      await expect(rootGrant(f, f.processor, scope)).to.be.revertedWithCustomError(f.resources, "ResourceIsFrozen").withArgs(1n);
      await (await f.resources.connect(f.regulator).unfreeze(1, h("unfreeze"))).wait();
      await (await f.resources.connect(f.holder2).object(1, h("objection"))).wait();
      await expect(rootGrant(f, f.processor, scope)).to.be.revertedWithCustomError(f.resources, "ResourceUnderObjection").withArgs(1n, 1);
      await (await f.resources.connect(f.regulator).resolveObjection(1, 1, true, h("upheld"))).wait();
      await expect(rootGrant(f, f.processor, scope)).to.be.revertedWithCustomError(f.resources, "ResourceIsCancelled").withArgs(1n);
      expect(await f.grants.grantCount()).to.equal(0n);
    });

    it("refuses a caller who does not hold the resource", async function () {
      const f = await ledgerFixture();
      await expect(f.grants.connect(f.holder2).grant(PU, RES, 1, await f.processor.getAddress(), await defaultScope(), h("t"), 0))
        .to.be.revertedWithCustomError(f.resources, "ResourceNotHolder")
        .withArgs(1n, await f.holder2.getAddress());
    });

    it("lets only the grant registry admit root grants", async function () {
      const f = await ledgerFixture();
      await expect(f.resources.connect(f.holder).admitRootGrant(1, await f.holder.getAddress(), PU, await defaultScope()))
        .to.be.revertedWithCustomError(f.resources, "ResourceCallerNotGrantRegistry")
        .withArgs(await f.holder.getAddress());
    });
  });

  describe("grant (sub-grant)", function () {
    it("issues a sub-grant within its parent and appends it to the parent's trace", async function () {
      const f = await withChain();
      const g = await f.grants.getGrant(2);
      expect(g.parentId).to.equal(1n);
      expect(g.grantor).to.equal(await f.processor.getAddress());
      expect(g.subjectId).to.equal(f.resourceId);
      expect(await f.grants.isGrantValid(2)).to.equal(true);
      const parentWord = await f.grants.traceWord(ethers.toBeHex((4n << 248n) | 1n, 32));
      expect(BigInt(parentWord) >> 192n).to.equal(2n); // issued, then the sub-grant
    });

    it("reverts when the parent is unknown, not the caller's, or not sub-grantable", async function () {
      const f = await withChain();
      const to = await f.processor3.getAddress();
      await expect(f.grants.connect(f.processor).grant(PU, RES, 1, to, f.sub, h("t"), 42))
        .to.be.revertedWithCustomError(f.grants, "GrantUnknown")
        .withArgs(42n);
      await expect(f.grants.connect(f.processor3).grant(PU, RES, 1, await f.processor2.getAddress(), f.sub, h("t"), 1))
        .to.be.revertedWithCustomError(f.grants, "GrantNotParentGrantee")
        .withArgs(1n, to);
      const leaf = { ...f.scope, depth: 0, maySubGrant: false };
      await expect(f.grants.connect(f.processor2).grant(PU, RES, 1, to, leaf, h("t"), 2)).to.be.revertedWithCustomError(f.grants, "GrantScopeExceedsParent");
      await (await f.grants.connect(f.processor).grant(PU, RES, 1, to, { ...leaf, purposes: 0b10 }, h("t"), 1)).wait();
      await expect(f.grants.connect(f.processor3).grant(PU, RES, 1, await f.processor2.getAddress(), { ...leaf, purposes: 0b10 }, h("t"), 3))
        .to.be.revertedWithCustomError(f.grants, "GrantParentNoSubGrant")
        .withArgs(3n);
    });

    it("reverts with GrantParentMismatch when the subject differs", async function () {
      const f = await withChain();
      await (await f.resources.connect(f.holder).register(ResourceKind.Api, Category.Enterprise, Grade.General, Domain.Finance, OpenClass.NotApplicable, h("c2"), "ipfs://2")).wait();
      await expect(f.grants.connect(f.processor).grant(PU, RES, 2, await f.processor3.getAddress(), f.sub, h("t"), 1))
        .to.be.revertedWithCustomError(f.grants, "GrantParentMismatch")
        .withArgs(1n);
    });

    it("never exceeds its parent: each scope field has its own error", async function () {
      const f = await withChain();
      const to = await f.processor3.getAddress();
      const sub = f.grants.connect(f.processor);
      const cases: [Partial<ScopeInput>, number][] = [
        [{ purposes: 0b100 }, ScopeField.Purposes],
        [{ region: 330000 }, ScopeField.Region],
        [{ region: 310100 }, ScopeField.Region],
        [{ validUntil: f.scope.validUntil + 1n }, ScopeField.Window],
        [{ validFrom: f.scope.validFrom - 1n }, ScopeField.Window],
        [{ depth: 2 }, ScopeField.Depth],
        [{ exclusive: true }, ScopeField.Exclusive],
      ];
      for (const [o, field] of cases) {
        await expect(sub.grant(PU, RES, 1, to, { ...f.sub, ...o }, h("t"), 1), JSON.stringify(o, (_, v) => (typeof v === "bigint" ? v.toString() : v)))
          .to.be.revertedWithCustomError(f.grants, "GrantScopeExceedsParent")
          .withArgs(1n, field);
      }
      // A county inside Ningbo is narrower, so allowed.
      await (await sub.grant(PU, RES, 1, to, { ...f.sub, region: 330203, purposes: 0b10 }, h("t"), 1)).wait();
    });

    it("holds a capped parent's sub-grants to its cap", async function () {
      const f = await ledgerFixture();
      const scope = await defaultScope({ cap: 100n });
      await (await rootGrant(f, f.processor, scope)).wait();
      const sub = f.grants.connect(f.processor);
      const to = await f.processor2.getAddress();
      for (const cap of [0n, 101n]) {
        await expect(sub.grant(PU, RES, 1, to, { ...scope, depth: 1, cap }, h("t"), 1))
          .to.be.revertedWithCustomError(f.grants, "GrantScopeExceedsParent")
          .withArgs(1n, ScopeField.Cap);
      }
      await (await sub.grant(PU, RES, 1, to, { ...scope, depth: 1, cap: 100n }, h("t"), 1)).wait();
    });

    it("reverts with GrantParentNotValid naming the cause", async function () {
      const f = await withChain();
      await (await f.grants.connect(f.regulator).freeze(1, h("freeze"))).wait();
      await expect(f.grants.connect(f.processor2).grant(PU, RES, 1, await f.processor3.getAddress(), { ...f.sub, depth: 0 }, h("t"), 2))
        .to.be.revertedWithCustomError(f.grants, "GrantParentNotValid")
        .withArgs(2n, Invalidity.Frozen, 1n);
    });
  });

  describe("exclusivity", function () {
    it("refuses a grant overlapping an exclusive one in purpose and time", async function () {
      const f = await ledgerFixture();
      const scope = await defaultScope({ exclusive: true, purposes: 0b01 });
      await (await rootGrant(f, f.processor, scope)).wait();
      await expect(rootGrant(f, f.processor2, { ...scope, exclusive: false }))
        .to.be.revertedWithCustomError(f.grants, "ExclusivityConflict")
        .withArgs(RES, 1n, PU, 0n);
      // Another purpose, or a later window, does not overlap.
      await (await rootGrant(f, f.processor2, { ...scope, exclusive: false, purposes: 0b10 })).wait();
      await (await rootGrant(f, f.processor3, { ...scope, validFrom: scope.validUntil, validUntil: scope.validUntil + 100n })).wait();
    });

    it("refuses an exclusive grant over a live shared one, and allows it once that has expired", async function () {
      const f = await ledgerFixture();
      const shared = await defaultScope({ validUntil: BigInt(await networkHelpers.time.latest()) + 1000n });
      await (await rootGrant(f, f.processor, shared)).wait();
      const excl = await defaultScope({ exclusive: true });
      await expect(rootGrant(f, f.processor2, excl)).to.be.revertedWithCustomError(f.grants, "ExclusivityConflict");
      await networkHelpers.time.increase(2000);
      await (await rootGrant(f, f.processor2, await defaultScope({ exclusive: true }))).wait();
    });

    it("judges overlap from now on: a backdated exclusive grant cannot claim a period already taken", async function () {
      const f = await ledgerFixture();
      const t0 = BigInt(await networkHelpers.time.latest());
      await (await rootGrant(f, f.processor, await defaultScope({ exclusive: true, purposes: 0b01, validFrom: t0, validUntil: t0 + 1000n }))).wait();
      await networkHelpers.time.increase(1000);
      // The first grant has expired; a second exclusive grant may start now, even if its window is written from t0,
      // and it is never valid before it was issued.
      await (await rootGrant(f, f.processor2, await defaultScope({ exclusive: true, purposes: 0b01, validFrom: t0, validUntil: t0 + 5000n }))).wait();
      expect(await f.grants.isGrantValid(2)).to.equal(true);
      // But a third one overlapping the second's remaining time is refused.
      await expect(rootGrant(f, f.processor3, await defaultScope({ exclusive: false, purposes: 0b01, validFrom: t0, validUntil: t0 + 3000n })))
        .to.be.revertedWithCustomError(f.grants, "ExclusivityConflict");
    });

    it("applies among sub-grants of the same parent, not against the parent itself", async function () {
      const f = await ledgerFixture();
      const scope = await defaultScope({ exclusive: true });
      await (await rootGrant(f, f.processor, scope)).wait();
      const sub = { ...scope, depth: 1 };
      await (await f.grants.connect(f.processor).grant(PU, RES, 1, await f.processor2.getAddress(), sub, h("t"), 1)).wait();
      await expect(f.grants.connect(f.processor).grant(PU, RES, 1, await f.processor3.getAddress(), { ...sub, exclusive: false }, h("t"), 1))
        .to.be.revertedWithCustomError(f.grants, "ExclusivityConflict")
        .withArgs(RES, 1n, PU, 1n);
    });
  });

  describe("validity", function () {
    it("follows the window: not yet valid, valid, expired (valid-until is exclusive)", async function () {
      const f = await ledgerFixture();
      // The fixture's snapshot can be minutes old: the next block jumps to the wall clock, so take "now" after it.
      await networkHelpers.mine();
      const now = BigInt(await networkHelpers.time.latest());
      const scope = await defaultScope({ validFrom: now + 100n, validUntil: now + 200n });
      await (await rootGrant(f, f.processor, scope)).wait();
      expect(await f.grants.grantValidity(1)).to.deep.equal([BigInt(Invalidity.NotYetValid), 1n]);
      await networkHelpers.time.setNextBlockTimestamp(now + 100n);
      await networkHelpers.mine();
      expect(await f.grants.isGrantValid(1)).to.equal(true);
      await networkHelpers.time.setNextBlockTimestamp(now + 199n);
      await networkHelpers.mine();
      expect(await f.grants.isGrantValid(1)).to.equal(true);
      await networkHelpers.time.setNextBlockTimestamp(now + 200n);
      await networkHelpers.mine();
      expect(await f.grants.grantValidity(1)).to.deep.equal([BigInt(Invalidity.Expired), 1n]);
      await expect(f.grants.checkGrantValid(1)).to.be.revertedWithCustomError(f.grants, "GrantNotValid").withArgs(1n, Invalidity.Expired, 1n);
    });

    it("invalidates the chain below a revoked, frozen or inactive link, and restores it when the cause ends", async function () {
      const f = await withChain();
      const expectReason = async (id: number, reason: number, at: bigint) =>
        expect(await f.grants.grantValidity(id)).to.deep.equal([BigInt(reason), at]);
      await expectReason(2, Invalidity.None, 0n);

      await (await f.members.suspend(await f.processor.getAddress(), h("s"))).wait();
      await expectReason(2, Invalidity.GranteeInactive, 1n);
      await (await f.members.reinstate(await f.processor.getAddress(), h("r"))).wait();

      await (await f.members.suspend(await f.holder.getAddress(), h("s"))).wait();
      await expectReason(2, Invalidity.GrantorInactive, 1n);
      await (await f.members.reinstate(await f.holder.getAddress(), h("r"))).wait();

      await (await f.resources.connect(f.regulator).freeze(1, h("f"))).wait();
      await expectReason(2, Invalidity.SubjectFrozen, 1n);
      await (await f.resources.connect(f.regulator).unfreeze(1, h("u"))).wait();

      await (await f.grants.connect(f.regulator).freeze(2, h("f"))).wait();
      await expectReason(2, Invalidity.Frozen, 2n);
      await expectReason(1, Invalidity.None, 0n);
      await (await f.grants.connect(f.regulator).unfreeze(2, h("u"))).wait();
      await expectReason(2, Invalidity.None, 0n);

      await (await f.resources.connect(f.holder2).object(1, h("o"))).wait();
      await expectReason(2, Invalidity.SubjectUnderObjection, 1n);
      await (await f.resources.connect(f.regulator).resolveObjection(1, 1, false, h("d"))).wait();
      await expectReason(2, Invalidity.None, 0n);

      await (await f.grants.connect(f.holder).revoke(1, h("rv"))).wait();
      await expectReason(2, Invalidity.Revoked, 1n);
      await expectReason(1, Invalidity.Revoked, 1n);
    });

    it("reports a cancelled subject and an unknown grant", async function () {
      const f = await withChain();
      await (await f.resources.connect(f.holder).cancel(1, h("c"))).wait();
      expect(await f.grants.grantValidity(2)).to.deep.equal([BigInt(Invalidity.SubjectCancelled), 1n]);
      expect(await f.grants.grantValidity(77)).to.deep.equal([BigInt(Invalidity.Unknown), 77n]);
      await expect(f.grants.getGrant(77)).to.be.revertedWithCustomError(f.grants, "GrantUnknown").withArgs(77n);
    });

    it("keeps a licence valid across a holding-right transfer while its grantor stays active", async function () {
      const f = await withChain();
      await (await f.resources.connect(f.holder).transfer(1, await f.holder2.getAddress(), h("t"))).wait();
      expect(await f.grants.isGrantValid(2)).to.equal(true);
      // Only the new holder may grant now.
      await expect(rootGrant(f, f.processor3, await defaultScope({ purposes: 0b100 })))
        .to.be.revertedWithCustomError(f.resources, "ResourceNotHolder");
    });

    it("accepts a grant with no expiry", async function () {
      const f = await ledgerFixture();
      await (await rootGrant(f, f.processor, await defaultScope({ validUntil: NO_EXPIRY }))).wait();
      await networkHelpers.time.increase(100 * 365 * 86400);
      expect(await f.grants.isGrantValid(1)).to.equal(true);
    });
  });

  describe("revoke, freeze, unfreeze", function () {
    it("lets the grantor revoke without a reason, and a regulator only with one", async function () {
      const f = await withChain();
      await expect(f.grants.connect(f.processor).revoke(2, ethers.ZeroHash))
        .to.emit(f.grants, "GrantRevoked")
        .withArgs(2n, await f.processor.getAddress(), ethers.ZeroHash);
      await expect(f.grants.connect(f.regulator).revoke(1, ethers.ZeroHash)).to.be.revertedWithCustomError(f.grants, "GrantEmptyHash");
      await expect(f.grants.connect(f.regulator).revoke(1, h("why"))).to.emit(f.grants, "GrantRevoked");
      await expect(f.grants.connect(f.holder).revoke(1, h("again"))).to.be.revertedWithCustomError(f.grants, "GrantAlreadyRevoked").withArgs(1n);
    });

    it("refuses revocation by anyone else, and by a suspended grantor", async function () {
      const f = await withChain();
      await expect(f.grants.connect(f.processor2).revoke(1, h("x")))
        .to.be.revertedWithCustomError(f.grants, "GrantNotRevoker")
        .withArgs(1n, await f.processor2.getAddress());
      await (await f.members.suspend(await f.holder.getAddress(), h("s"))).wait();
      await expect(f.grants.connect(f.holder).revoke(1, h("x"))).to.be.revertedWithCustomError(f.members, "MemberNotActive");
      await expect(f.grants.connect(f.suspended).revoke(1, h("x")))
        .to.be.revertedWithCustomError(f.members, "MemberNotActive")
        .withArgs(await f.suspended.getAddress(), 2);
    });

    it("freezes and unfreezes once each, with a reason", async function () {
      const f = await withChain();
      await expect(f.grants.connect(f.regulator).freeze(1, ethers.ZeroHash)).to.be.revertedWithCustomError(f.grants, "GrantEmptyHash");
      await expect(f.grants.connect(f.regulator).unfreeze(1, h("u"))).to.be.revertedWithCustomError(f.grants, "GrantFreezeUnchanged").withArgs(1n, false);
      await expect(f.grants.connect(f.regulator).freeze(1, h("f"))).to.emit(f.grants, "GrantFrozen").withArgs(1n, await f.regulator.getAddress(), h("f"));
      await expect(f.grants.connect(f.regulator).freeze(1, h("f"))).to.be.revertedWithCustomError(f.grants, "GrantFreezeUnchanged").withArgs(1n, true);
      await expect(f.grants.connect(f.regulator).unfreeze(1, h("u"))).to.emit(f.grants, "GrantUnfrozen");
    });
  });

  describe("conditions: public data and personal data", function () {
    async function withConditions() {
      const f = await ledgerFixture();
      const yearOn = BigInt(await networkHelpers.time.latest()) + 365n * 86400n;
      await (await f.resources.connect(f.holder).register(ResourceKind.Api, Category.Public, Grade.General, Domain.Health, OpenClass.Conditional, h("public"), "ipfs://public")).wait();
      await (await f.resources.connect(f.holder).register(ResourceKind.DataSet, Category.Personal, Grade.General, Domain.Health, OpenClass.NotApplicable, h("personal"), "ipfs://personal")).wait();
      await (await f.members.grantRole(ROLES.OPERATOR, await f.processor.getAddress())).wait();
      return { ...f, publicId: 2n, personalId: 3n, yearOn };
    }

    it("gives a processing-use grant on public data only to an operator authorized over it, and ends it with the authorization", async function () {
      const f = await withConditions();
      const to = await f.processor.getAddress();
      await expect(rootGrant(f, f.processor, await defaultScope(), f.publicId))
        .to.be.revertedWithCustomError(f.grants, "GrantNeedsOperationAuthorization")
        .withArgs(to, f.publicId);
      await (await f.operations.authorize(to, [f.publicId], h("s"), h("c"), 0, f.yearOn)).wait();
      await expect(rootGrant(f, f.processor, await defaultScope(), f.publicId))
        .to.emit(f.grants, "GrantIssued")
        .withArgs(1n, 0n, to, await f.holder.getAddress(), PU, RES, f.publicId, anyValue, h("terms"), 1n, 0n);
      expect(await f.grants.conditionsOf(1n)).to.deep.equal([1n, 0n, 0n]);
      expect(await f.grants.isGrantValid(1n)).to.equal(true);
      await (await f.operations.exit(1n, h("forced"))).wait();
      expect(await f.grants.grantValidity(1n)).to.deep.equal([BigInt(Invalidity.AuthorizationEnded), 1n]);
      await expect(rootGrant(f, f.processor, await defaultScope({ purposes: 0b100 }), f.publicId))
        .to.be.revertedWithCustomError(f.grants, "GrantOperationAuthorizationInvalid")
        .withArgs(1n);
    });

    it("rests a grant on personal data on consent covering its purposes, and ends it when they are withdrawn", async function () {
      const f = await withConditions();
      await expect(rootGrant(f, f.processor, await defaultScope(), f.personalId))
        .to.be.revertedWithCustomError(f.grants, "GrantNeedsConsent")
        .withArgs(f.personalId);
      await (await f.consents.connect(f.holder).record(f.personalId, h("merkle"), 0b011, 50, f.yearOn)).wait();
      await expect(rootGrant(f, f.processor, await defaultScope({ purposes: 0b111 }), f.personalId))
        .to.be.revertedWithCustomError(f.grants, "GrantConsentDoesNotCover")
        .withArgs(1n, 0b111);
      await (await rootGrant(f, f.processor, await defaultScope({ purposes: 0b010 }), f.personalId)).wait();
      expect(await f.grants.conditionsOf(1n)).to.deep.equal([0n, 1n, 0b010n]);
      // A withdrawal of a purpose the grant does not use leaves it valid; of one it uses, ends it.
      await (await f.consents.connect(f.regulator).withdraw(1n, 0b001, h("complaint"))).wait();
      expect(await f.grants.isGrantValid(1n)).to.equal(true);
      await (await f.consents.connect(f.regulator).withdraw(1n, 0b010, h("complaint 2"))).wait();
      expect(await f.grants.grantValidity(1n)).to.deep.equal([BigInt(Invalidity.ConsentWithdrawn), 1n]);
    });

    it("wires the condition registries once", async function () {
      const f = await ledgerFixture();
      await expect(f.grants.setConditionRegistries(await f.operations.getAddress(), await f.consents.getAddress())).to.be.revertedWithCustomError(f.grants, "GrantConditionsAlreadySet");
      await expect(f.grants.setConditionRegistries(ethers.ZeroAddress, await f.consents.getAddress())).to.be.revertedWithCustomError(f.grants, "GrantZeroRegistry");
    });
  });

  describe("setSubjectRegistry", function () {
    it("wires a product registry once governance asks, and refuses other kinds and zero", async function () {
      const f = await ledgerFixture();
      await expect(f.grants.setSubjectRegistry(RES, await f.resources.getAddress()))
        .to.be.revertedWithCustomError(f.grants, "GrantSubjectKindUnsupported")
        .withArgs(RES);
      await expect(f.grants.setSubjectRegistry(SubjectKind.Product, ethers.ZeroAddress)).to.be.revertedWithCustomError(f.grants, "GrantZeroRegistry");
      await expect(f.grants.setSubjectRegistry(SubjectKind.Product, await f.resources.getAddress()))
        .to.emit(f.grants, "SubjectRegistrySet")
        .withArgs(SubjectKind.Product, await f.resources.getAddress(), await f.gov.getAddress());
      expect(await f.grants.subjectRegistry(SubjectKind.Product)).to.equal(await f.resources.getAddress());
    });
  });
});
