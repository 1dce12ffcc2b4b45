import { expect } from "chai";
import { ZeroHash } from "ethers";
import { h } from "../helpers/fixtures.js";
import { Invalidity, MemberStatus } from "../helpers/enums.js";
import { payloadHash, ledgerKey } from "../helpers/trace.js";
import { SanctionKind, keys, supervisionFixture, type SupervisionFixture, ReportCategory } from "../helpers/supervision-fixture.js";

const REASON = h("reason");

describe("Sanctions", function () {
  let fx: SupervisionFixture;
  let cause: string;
  beforeEach(async function () {
    fx = await supervisionFixture();
    await (await fx.reports.connect(fx.processor2).file(keys.resource(1n), ReportCategory.UnauthorizedProcessing, h("evidence"))).wait();
    cause = keys.report(1n);
  });

  describe("freeze", function () {
    it("freezes a resource, a grant and a product and suspends a member through the registries, linking the cause", async function () {
      const regulator = await fx.regulator.getAddress();
      const sanctions = await fx.sanctions.getAddress();
      const processor = await fx.processor2.getAddress();
      const cases = [
        [keys.resource(1n), SanctionKind.FreezeResource, fx.resources, "ResourceFrozen", [1n, sanctions, REASON]],
        [keys.grant(1n), SanctionKind.FreezeGrant, fx.grants, "GrantFrozen", [1n, sanctions, REASON]],
        [keys.product(1n), SanctionKind.FreezeProduct, fx.products, "ProductFrozen", [1n, sanctions, REASON]],
        [keys.member(processor), SanctionKind.SuspendMember, fx.members, "MemberSuspended", [processor, sanctions, REASON]],
      ] as const;
      for (const [i, [subject, kind, registry, event, args]] of cases.entries()) {
        const id = BigInt(i + 1);
        await expect(fx.sanctions.connect(fx.regulator).freeze(subject, cause, REASON))
          .to.emit(fx.sanctions, "SanctionApplied")
          .withArgs(id, subject, cause, regulator, kind, REASON)
          .and.to.emit(fx.sanctions, "TraceRecorded")
          .withArgs(
            ledgerKey(sanctions),
            id,
            125,
            regulator,
            payloadHash(["uint64", "bytes32", "bytes32", "address", "uint8", "bytes32"], [id, subject, cause, regulator, kind, REASON]),
            (w: string) => w !== ZeroHash,
          )
          .and.to.emit(registry, event)
          .withArgs(...args);
        const s = await fx.sanctions.getSanction(id);
        expect([s.subject, s.cause, s.kind, s.lifted]).to.deep.equal([subject, cause, BigInt(kind), false]);
      }
      expect((await fx.resources.getResource(1n)).frozen).to.equal(true);
      expect((await fx.grants.getGrant(1n)).frozen).to.equal(true);
      expect((await fx.products.getProduct(1n)).frozen).to.equal(true);
      expect(await fx.members.statusOf(processor)).to.equal(MemberStatus.Suspended);
      expect(await fx.sanctions.sanctionCount()).to.equal(4n);
    });

    it("accepts a dispute as cause", async function () {
      await (await fx.disputes.connect(fx.processor).open(await fx.holder.getAddress(), [keys.resource(1n)], h("claim"))).wait();
      await expect(fx.sanctions.connect(fx.regulator).freeze(keys.resource(1n), keys.dispute(1n), REASON)).to.emit(fx.sanctions, "SanctionApplied");
    });

    it("reverts with SanctionInvalidCause for unknown, dismissed, withdrawn and non-report/dispute causes", async function () {
      await (await fx.reports.connect(fx.processor2).file(keys.resource(1n), 2, h("e2"))).wait();
      await (await fx.reports.connect(fx.regulator).dismiss(2n, REASON)).wait();
      await (await fx.disputes.connect(fx.processor).open(await fx.holder.getAddress(), [keys.resource(1n)], h("claim"))).wait();
      await (await fx.disputes.connect(fx.processor).withdraw(1n, REASON)).wait();
      for (const bad of [keys.report(9n), keys.report(2n), keys.dispute(1n), keys.dispute(9n), keys.resource(1n), ZeroHash, keys.report(0n)]) {
        await expect(fx.sanctions.connect(fx.regulator).freeze(keys.resource(1n), bad, REASON), bad)
          .to.be.revertedWithCustomError(fx.sanctions, "SanctionInvalidCause")
          .withArgs(bad);
      }
    });

    it("reverts with SanctionInvalidSubject for kinds that cannot be frozen and malformed keys", async function () {
      for (const bad of [keys.consent(1n), keys.authorization(1n), keys.trade(1n), keys.report(1n), ZeroHash, "0x0300000000000000000000000000000000000000000000010000000000000001"]) {
        await expect(fx.sanctions.connect(fx.regulator).freeze(bad, cause, REASON), bad)
          .to.be.revertedWithCustomError(fx.sanctions, "SanctionInvalidSubject")
          .withArgs(bad);
      }
    });

    it("reverts with SanctionEmptyReason when the reason is zero", async function () {
      await expect(fx.sanctions.connect(fx.regulator).freeze(keys.resource(1n), cause, ZeroHash)).to.be.revertedWithCustomError(fx.sanctions, "SanctionEmptyReason");
    });

    it("passes the registry's refusal through: an unknown or already-frozen subject reverts the sanction", async function () {
      await expect(fx.sanctions.connect(fx.regulator).freeze(keys.resource(99n), cause, REASON)).to.be.revertedWithCustomError(fx.resources, "ResourceUnknown").withArgs(99n);
      await (await fx.sanctions.connect(fx.regulator).freeze(keys.resource(1n), cause, REASON)).wait();
      await expect(fx.sanctions.connect(fx.regulator).freeze(keys.resource(1n), cause, REASON)).to.be.revertedWithCustomError(fx.resources, "ResourceIsFrozen").withArgs(1n);
      expect(await fx.sanctions.sanctionCount()).to.equal(1n);
    });

    it("makes grants over a frozen resource invalid (propagation by rule, not by loops)", async function () {
      await (await fx.sanctions.connect(fx.regulator).freeze(keys.resource(1n), cause, REASON)).wait();
      const [reason] = await fx.grants.grantValidity(1n);
      expect(reason).to.equal(Invalidity.SubjectFrozen);
    });
  });

  describe("withdrawConsent", function () {
    it("withdraws consent on a privacy complaint and records a sanction that cannot be lifted", async function () {
      await (await fx.reports.connect(fx.processor2).file(keys.consent(1n), ReportCategory.PrivacyComplaint, h("complaint"))).wait();
      const complaint = keys.report(2n);
      await expect(fx.sanctions.connect(fx.regulator).withdrawConsent(1n, 0b11, complaint, REASON))
        .to.emit(fx.sanctions, "SanctionApplied")
        .withArgs(1n, keys.consent(1n), complaint, await fx.regulator.getAddress(), SanctionKind.WithdrawConsent, REASON)
        .and.to.emit(fx.consents, "ConsentWithdrawn")
        .withArgs(1n, await fx.sanctions.getAddress(), 0b11, 0, REASON);
      expect(await fx.consents.covers(1n, 0b01)).to.equal(false);
      await expect(fx.sanctions.connect(fx.regulator).lift(1n, REASON)).to.be.revertedWithCustomError(fx.sanctions, "SanctionNotLiftable").withArgs(1n);
    });

    it("reverts with SanctionInvalidCause and SanctionEmptyReason, and passes the consent registry's refusals", async function () {
      await expect(fx.sanctions.connect(fx.regulator).withdrawConsent(1n, 1, keys.report(9n), REASON)).to.be.revertedWithCustomError(fx.sanctions, "SanctionInvalidCause");
      await expect(fx.sanctions.connect(fx.regulator).withdrawConsent(1n, 1, cause, ZeroHash)).to.be.revertedWithCustomError(fx.sanctions, "SanctionEmptyReason");
      await expect(fx.sanctions.connect(fx.regulator).withdrawConsent(1n, 0b100, cause, REASON)).to.be.revertedWithCustomError(fx.consents, "ConsentInvalidPurposes").withArgs(0b100);
    });
  });

  describe("lift", function () {
    it("lifts each kind of sanction through its registry, emits SanctionLifted and traces SANCTION_LIFTED", async function () {
      const processor = await fx.processor2.getAddress();
      const subjects = [keys.resource(1n), keys.grant(1n), keys.product(1n), keys.member(processor)];
      for (const s of subjects) await (await fx.sanctions.connect(fx.regulator).freeze(s, cause, REASON)).wait();
      const lifter = await fx.regulator2.getAddress();
      const events = [
        [fx.resources, "ResourceUnfrozen"],
        [fx.grants, "GrantUnfrozen"],
        [fx.products, "ProductUnfrozen"],
        [fx.members, "MemberReinstated"],
      ] as const;
      for (const [i, s] of subjects.entries()) {
        const id = BigInt(i + 1);
        const [registry, event] = events[i]!;
        await expect(fx.sanctions.connect(fx.regulator2).lift(id, h("lifted")))
          .to.emit(fx.sanctions, "SanctionLifted")
          .withArgs(id, s, cause, lifter, h("lifted"))
          .and.to.emit(fx.sanctions, "TraceRecorded")
          .withArgs(
            ledgerKey(await fx.sanctions.getAddress()),
            BigInt(subjects.length) + id,
            126,
            lifter,
            payloadHash(["uint64", "bytes32", "bytes32", "address", "bytes32"], [id, s, cause, lifter, h("lifted")]),
            (w: string) => w !== ZeroHash,
          )
          .and.to.emit(registry, event);
        expect((await fx.sanctions.getSanction(id)).lifted).to.equal(true);
      }
      expect((await fx.resources.getResource(1n)).frozen).to.equal(false);
      expect(await fx.members.statusOf(processor)).to.equal(MemberStatus.Active);
    });

    it("reverts with SanctionNotLiftable on a second lift, SanctionUnknown and SanctionEmptyReason", async function () {
      await (await fx.sanctions.connect(fx.regulator).freeze(keys.resource(1n), cause, REASON)).wait();
      await expect(fx.sanctions.connect(fx.regulator).lift(1n, ZeroHash)).to.be.revertedWithCustomError(fx.sanctions, "SanctionEmptyReason");
      await (await fx.sanctions.connect(fx.regulator).lift(1n, REASON)).wait();
      await expect(fx.sanctions.connect(fx.regulator).lift(1n, REASON)).to.be.revertedWithCustomError(fx.sanctions, "SanctionNotLiftable").withArgs(1n);
      await expect(fx.sanctions.connect(fx.regulator).lift(5n, REASON)).to.be.revertedWithCustomError(fx.sanctions, "SanctionUnknown").withArgs(5n);
      await expect(fx.sanctions.getSanction(5n)).to.be.revertedWithCustomError(fx.sanctions, "SanctionUnknown").withArgs(5n);
    });

    it("lifts even when the cause was dismissed meanwhile (lifting needs no live cause)", async function () {
      await (await fx.sanctions.connect(fx.regulator).freeze(keys.resource(1n), cause, REASON)).wait();
      await (await fx.reports.connect(fx.regulator).dismiss(1n, REASON)).wait();
      await expect(fx.sanctions.connect(fx.regulator).lift(1n, REASON)).to.emit(fx.sanctions, "SanctionLifted");
    });
  });
});
