import { expect } from "chai";
import { AbiCoder, ZeroHash, keccak256 } from "ethers";
import { h } from "../helpers/fixtures.js";
import { MemberStatus } from "../helpers/enums.js";
import { payloadHash } from "../helpers/trace.js";
import { ReportCategory, ReportStatus, keys, supervisionFixture, type SupervisionFixture } from "../helpers/supervision-fixture.js";

const EVIDENCE = h("evidence");
const REASON = h("reason");

describe("ReportRegistry", function () {
  let fx: SupervisionFixture;
  beforeEach(async function () {
    fx = await supervisionFixture();
  });

  const fileOn = (subject: string, category: number = ReportCategory.UnauthorizedProcessing) =>
    fx.reports.connect(fx.processor2).file(subject, category, EVIDENCE);

  describe("file", function () {
    it("files a report against each supported subject kind, emits ReportFiled and traces REPORT_FILED", async function () {
      await (await fx.trades.setCount(1n)).wait();
      await (await fx.reports.setTradeLookup(await fx.trades.getAddress())).wait();
      const subjects = [
        keys.member(await fx.holder.getAddress()),
        keys.resource(1n),
        keys.grant(1n),
        keys.product(1n),
        keys.trade(1n),
        keys.authorization(1n),
        keys.consent(1n),
      ];
      const filer = await fx.processor2.getAddress();
      for (const [i, subject] of subjects.entries()) {
        const id = BigInt(i + 1);
        await expect(fileOn(subject))
          .to.emit(fx.reports, "ReportFiled")
          .withArgs(id, subject, filer, ReportCategory.UnauthorizedProcessing, false, ZeroHash, EVIDENCE)
          .and.to.emit(fx.reports, "TraceRecorded")
          .withArgs(
            keys.report(id),
            1n,
            100,
            filer,
            payloadHash(
              ["uint64", "bytes32", "address", "uint16", "bool", "bytes32", "bytes32"],
              [id, subject, filer, ReportCategory.UnauthorizedProcessing, false, ZeroHash, EVIDENCE],
            ),
            (w: string) => BigInt(w) >> 192n === 1n,
          );
        const r = await fx.reports.getReport(id);
        expect([r.filer, r.status, r.category, r.confidential, r.subject]).to.deep.equal([
          filer,
          BigInt(ReportStatus.Received),
          BigInt(ReportCategory.UnauthorizedProcessing),
          false,
          subject,
        ]);
      }
      expect(await fx.reports.reportCount()).to.equal(7n);
    });

    it("reverts with ReportInvalidCategory for category 0 and above the last code", async function () {
      await expect(fileOn(keys.resource(1n), 0)).to.be.revertedWithCustomError(fx.reports, "ReportInvalidCategory").withArgs(0);
      await expect(fileOn(keys.resource(1n), ReportCategory.Max + 1))
        .to.be.revertedWithCustomError(fx.reports, "ReportInvalidCategory")
        .withArgs(ReportCategory.Max + 1);
    });

    it("reverts with ReportEmptyHash when the evidence hash is zero", async function () {
      await expect(fx.reports.connect(fx.processor2).file(keys.resource(1n), 2, ZeroHash)).to.be.revertedWithCustomError(fx.reports, "ReportEmptyHash");
    });

    it("reverts with SupervisionUnknownSubject for missing subjects and malformed keys", async function () {
      const missing = [
        keys.resource(99n),
        keys.resource(0n),
        keys.grant(99n),
        keys.product(99n),
        keys.authorization(99n),
        keys.consent(99n),
        keys.member(await fx.outsider.getAddress()),
        // a member key with bits above the address, and a resource id above 64 bits
        "0x02000000000000000000000100000000000000000000000000000000000000aa",
        "0x0300000000000000000000000000000000000000000000010000000000000001",
        // a kind beyond the enum
        "0xff00000000000000000000000000000000000000000000000000000000000001",
      ];
      for (const subject of missing) {
        await expect(fileOn(subject), subject).to.be.revertedWithCustomError(fx.reports, "SupervisionUnknownSubject").withArgs(subject);
      }
    });

    it("reverts with SupervisionSubjectKindUnsupported for ledger, report and dispute keys", async function () {
      for (const [kind, subject] of [
        [0, ZeroHash],
        [1, "0x0100000000000000000000000000000000000000000000000000000000000001"],
        [9, keys.report(1n)],
        [10, keys.dispute(1n)],
      ] as const) {
        await expect(fileOn(subject)).to.be.revertedWithCustomError(fx.reports, "SupervisionSubjectKindUnsupported").withArgs(kind);
      }
    });

    it("reverts with SupervisionTradesNotWired for a trade before the lookup is wired, and checks trades after", async function () {
      await expect(fileOn(keys.trade(1n))).to.be.revertedWithCustomError(fx.reports, "SupervisionTradesNotWired");
      await (await fx.reports.setTradeLookup(await fx.trades.getAddress())).wait();
      await expect(fileOn(keys.trade(1n))).to.be.revertedWithCustomError(fx.reports, "SupervisionUnknownSubject").withArgs(keys.trade(1n));
    });

    it("accepts a privacy complaint about a personal resource or a consent, refuses one about other data", async function () {
      await expect(fileOn(keys.resource(fx.personalResourceId), ReportCategory.PrivacyComplaint)).to.emit(fx.reports, "ReportFiled");
      await expect(fileOn(keys.consent(fx.consentId), ReportCategory.PrivacyComplaint)).to.emit(fx.reports, "ReportFiled");
      for (const subject of [keys.resource(1n), keys.grant(1n), keys.member(await fx.holder.getAddress())]) {
        await expect(fileOn(subject, ReportCategory.PrivacyComplaint)).to.be.revertedWithCustomError(fx.reports, "ReportNotPersonalData").withArgs(subject);
      }
    });
  });

  describe("fileConfidential", function () {
    it("files through a regulator or operator relay with the reporter's commitment instead of the reporter", async function () {
      const reporter = await fx.processor2.getAddress();
      const commitment = keccak256(AbiCoder.defaultAbiCoder().encode(["address", "bytes32"], [reporter, h("salt")]));
      for (const relay of [fx.regulator, fx.operator]) {
        const relayAddress = await relay.getAddress();
        const tx = fx.reports.connect(relay).fileConfidential(keys.resource(1n), ReportCategory.IllegalTrading, EVIDENCE, commitment);
        await expect(tx).to.emit(fx.reports, "ReportFiled").withArgs((id: bigint) => id > 0n, keys.resource(1n), relayAddress, ReportCategory.IllegalTrading, true, commitment, EVIDENCE);
      }
      const r = await fx.reports.getReport(2n);
      expect(r.confidential).to.equal(true);
      expect(r.filer).to.equal(await fx.operator.getAddress());
    });

    it("reverts with ReportNotRelay for a member that is neither regulator nor operator", async function () {
      await expect(fx.reports.connect(fx.holder).fileConfidential(keys.resource(1n), 2, EVIDENCE, h("c")))
        .to.be.revertedWithCustomError(fx.reports, "ReportNotRelay")
        .withArgs(await fx.holder.getAddress());
    });

    it("reverts with ReportEmptyHash when the commitment is zero", async function () {
      await expect(fx.reports.connect(fx.regulator).fileConfidential(keys.resource(1n), 2, EVIDENCE, ZeroHash)).to.be.revertedWithCustomError(
        fx.reports,
        "ReportEmptyHash",
      );
    });
  });

  describe("triage", function () {
    beforeEach(async function () {
      await (await fileOn(keys.resource(1n))).wait();
    });

    it("moves received -> investigating -> substantiated naming the sanctions caused by the report", async function () {
      const regulator = await fx.regulator.getAddress();
      await expect(fx.reports.connect(fx.regulator).investigate(1n, REASON))
        .to.emit(fx.reports, "ReportInvestigating")
        .withArgs(1n, regulator, REASON)
        .and.to.emit(fx.reports, "TraceRecorded")
        .withArgs(keys.report(1n), 2n, 101, regulator, payloadHash(["uint64", "address", "bytes32"], [1n, regulator, REASON]), (w: string) => w !== ZeroHash);
      await (await fx.sanctions.connect(fx.regulator).freeze(keys.resource(1n), keys.report(1n), REASON)).wait();
      await (await fx.sanctions.connect(fx.regulator).freeze(keys.member(await fx.processor.getAddress()), keys.report(1n), REASON)).wait();
      await expect(fx.reports.connect(fx.regulator).substantiate(1n, [1n, 2n], REASON))
        .to.emit(fx.reports, "ReportSubstantiated")
        .withArgs(1n, regulator, REASON, [1n, 2n])
        .and.to.emit(fx.reports, "TraceRecorded")
        .withArgs(keys.report(1n), 3n, 102, regulator, payloadHash(["uint64", "address", "bytes32", "uint64[]"], [1n, regulator, REASON, [1n, 2n]]), (w: string) => w !== ZeroHash);
      expect(await fx.reports.reportStatus(1n)).to.equal(ReportStatus.Substantiated);
      expect(await fx.members.statusOf(await fx.processor.getAddress())).to.equal(MemberStatus.Suspended);
    });

    it("dismisses a received or an investigated report", async function () {
      await (await fileOn(keys.resource(1n))).wait();
      await (await fx.reports.connect(fx.regulator).investigate(2n, REASON)).wait();
      for (const id of [1n, 2n]) {
        await expect(fx.reports.connect(fx.regulator).dismiss(id, REASON)).to.emit(fx.reports, "ReportDismissed").withArgs(id, await fx.regulator.getAddress(), REASON);
        expect(await fx.reports.reportStatus(id)).to.equal(ReportStatus.Dismissed);
      }
    });

    it("reverts with ReportInvalidStatus on every step that does not apply", async function () {
      const r = fx.reports.connect(fx.regulator);
      await expect(r.substantiate(1n, [1n], REASON)).to.be.revertedWithCustomError(fx.reports, "ReportInvalidStatus").withArgs(1n, ReportStatus.Received);
      await (await r.investigate(1n, REASON)).wait();
      await expect(r.investigate(1n, REASON)).to.be.revertedWithCustomError(fx.reports, "ReportInvalidStatus").withArgs(1n, ReportStatus.Investigating);
      await (await r.dismiss(1n, REASON)).wait();
      await expect(r.dismiss(1n, REASON)).to.be.revertedWithCustomError(fx.reports, "ReportInvalidStatus").withArgs(1n, ReportStatus.Dismissed);
      await expect(r.investigate(1n, REASON)).to.be.revertedWithCustomError(fx.reports, "ReportInvalidStatus").withArgs(1n, ReportStatus.Dismissed);
      await expect(r.substantiate(1n, [1n], REASON)).to.be.revertedWithCustomError(fx.reports, "ReportInvalidStatus").withArgs(1n, ReportStatus.Dismissed);
    });

    it("reverts with ReportUnknown for a report never filed", async function () {
      await expect(fx.reports.connect(fx.regulator).investigate(9n, REASON)).to.be.revertedWithCustomError(fx.reports, "ReportUnknown").withArgs(9n);
      await expect(fx.reports.getReport(9n)).to.be.revertedWithCustomError(fx.reports, "ReportUnknown").withArgs(9n);
      expect(await fx.reports.reportStatus(9n)).to.equal(ReportStatus.None);
    });

    it("reverts with ReportEmptyHash when a reason is zero", async function () {
      const r = fx.reports.connect(fx.regulator);
      await expect(r.investigate(1n, ZeroHash)).to.be.revertedWithCustomError(fx.reports, "ReportEmptyHash");
      await expect(r.dismiss(1n, ZeroHash)).to.be.revertedWithCustomError(fx.reports, "ReportEmptyHash");
      await (await r.investigate(1n, REASON)).wait();
      await expect(r.substantiate(1n, [1n], ZeroHash)).to.be.revertedWithCustomError(fx.reports, "ReportEmptyHash");
    });

    it("reverts with ReportInvalidSanctionCount and ReportSanctionNotLinked on bad sanction lists", async function () {
      const r = fx.reports.connect(fx.regulator);
      await (await r.investigate(1n, REASON)).wait();
      await (await fileOn(keys.resource(1n))).wait(); // report 2
      await (await fx.sanctions.connect(fx.regulator).freeze(keys.grant(1n), keys.report(2n), REASON)).wait(); // sanction 1: report 2
      await expect(r.substantiate(1n, [], REASON)).to.be.revertedWithCustomError(fx.reports, "ReportInvalidSanctionCount").withArgs(0, 8);
      await expect(r.substantiate(1n, Array(9).fill(1n), REASON)).to.be.revertedWithCustomError(fx.reports, "ReportInvalidSanctionCount").withArgs(9, 8);
      await expect(r.substantiate(1n, [1n], REASON)).to.be.revertedWithCustomError(fx.reports, "ReportSanctionNotLinked").withArgs(1n, 1n);
      await expect(r.substantiate(1n, [0n], REASON)).to.be.revertedWithCustomError(fx.reports, "ReportSanctionNotLinked").withArgs(1n, 0n);
      await expect(r.substantiate(1n, [7n], REASON)).to.be.revertedWithCustomError(fx.reports, "ReportSanctionNotLinked").withArgs(1n, 7n);
    });
  });

  describe("wiring", function () {
    it("sets the trade lookup once and emits TradeLookupSet", async function () {
      const lookup = await fx.trades.getAddress();
      await expect(fx.reports.setTradeLookup(lookup)).to.emit(fx.reports, "TradeLookupSet").withArgs(lookup, await fx.gov.getAddress());
      expect(await fx.reports.tradeLookup()).to.equal(lookup);
      await expect(fx.reports.setTradeLookup(lookup)).to.be.revertedWithCustomError(fx.reports, "SupervisionTradeLookupAlreadySet").withArgs(lookup);
    });

    it("refuses zero addresses and a second sanctions contract", async function () {
      await expect(fx.reports.setTradeLookup("0x0000000000000000000000000000000000000000")).to.be.revertedWithCustomError(fx.reports, "SupervisionZeroAddress");
      await expect(fx.reports.setSanctions("0x0000000000000000000000000000000000000000")).to.be.revertedWithCustomError(fx.reports, "SupervisionZeroAddress");
      const current = await fx.sanctions.getAddress();
      await expect(fx.reports.setSanctions(current)).to.be.revertedWithCustomError(fx.reports, "ReportSanctionsAlreadySet").withArgs(current);
      expect(await fx.reports.sanctions()).to.equal(current);
    });

    it("reverts with ReportSanctionsNotWired when substantiating before the sanctions contract is wired", async function () {
      const registries = {
        resources: await fx.resources.getAddress(),
        grants: await fx.grants.getAddress(),
        products: await fx.products.getAddress(),
        operations: await fx.operations.getAddress(),
        consents: await fx.consents.getAddress(),
      };
      const { ethers } = await import("../helpers/fixtures.js");
      const bare = await ethers.deployContract("ReportRegistry", [await fx.members.getAddress(), registries]);
      await (await bare.connect(fx.processor2).file(keys.resource(1n), 2, EVIDENCE)).wait();
      await (await bare.connect(fx.regulator).investigate(1n, REASON)).wait();
      await expect(bare.connect(fx.regulator).substantiate(1n, [1n], REASON)).to.be.revertedWithCustomError(bare, "ReportSanctionsNotWired");
    });
  });

});
