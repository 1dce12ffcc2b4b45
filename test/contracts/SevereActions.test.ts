import { expect } from "chai";
import { ZeroHash } from "ethers";
import { ethers, h } from "../helpers/fixtures.js";
import { AuthorizationStatus, MemberStatus } from "../helpers/enums.js";
import { ledgerKey, payloadHash, resourceKey } from "../helpers/trace.js";
import { ProposalStatus, ReportCategory, SevereKind, ZERO_ADDRESS, keys, supervisionFixture, type SupervisionFixture } from "../helpers/supervision-fixture.js";

const REASON = h("reason");

describe("SevereActions", function () {
  let fx: SupervisionFixture;
  let cause: string;
  beforeEach(async function () {
    fx = await supervisionFixture();
    await (await fx.reports.connect(fx.processor2).file(keys.member(await fx.processor3.getAddress()), ReportCategory.IllegalTrading, h("evidence"))).wait();
    cause = keys.report(1n);
  });

  describe("propose (threshold 1: executes at once)", function () {
    it("expels a member: SevereProposed, SevereExecuted, MemberExpelled by the executor", async function () {
      const target = await fx.processor3.getAddress();
      const regulator = await fx.regulator.getAddress();
      const severe = await fx.severe.getAddress();
      await expect(fx.severe.connect(fx.regulator).propose(SevereKind.ExpelMember, 0n, target, cause, REASON))
        .to.emit(fx.severe, "SevereProposed")
        .withArgs(1n, SevereKind.ExpelMember, cause, regulator, regulator, 0n, target, 1, REASON)
        .and.to.emit(fx.severe, "TraceRecorded")
        .withArgs(
          ledgerKey(severe),
          2n, // seq 1 is the dispute-registry wiring
          130,
          regulator,
          payloadHash(
            ["uint64", "uint8", "bytes32", "address", "address", "uint64", "address", "uint8", "bytes32"],
            [1n, SevereKind.ExpelMember, cause, regulator, regulator, 0n, target, 1, REASON],
          ),
          (w: string) => w !== ZeroHash,
        )
        .and.to.emit(fx.severe, "SevereExecuted")
        .withArgs(1n, regulator)
        .and.to.emit(fx.members, "MemberExpelled")
        .withArgs(target, severe, REASON);
      expect(await fx.members.statusOf(target)).to.equal(MemberStatus.Exited);
      const p = await fx.severe.getProposal(1n);
      expect([p.status, p.approvals, p.threshold, p.proposer]).to.deep.equal([BigInt(ProposalStatus.Executed), 1n, 1n, regulator]);
    });

    it("forces an operation authorization to exit (an arbiter may propose)", async function () {
      await expect(fx.severe.connect(fx.arbiter).propose(SevereKind.ForcedExit, 1n, ZERO_ADDRESS, cause, REASON))
        .to.emit(fx.operations, "OperationExitedBy")
        .withArgs(1n, await fx.severe.getAddress(), true, REASON);
      expect((await fx.operations.getAuthorization(1n)).status).to.equal(AuthorizationStatus.Exited);
    });

    it("transfers a holding right, even while the resource is frozen", async function () {
      await (await fx.resources.connect(fx.regulator).freeze(1n, REASON)).wait();
      const from = await fx.holder.getAddress();
      const to = await fx.holder2.getAddress();
      await expect(fx.severe.connect(fx.regulator).propose(SevereKind.TransferHolding, 1n, to, cause, REASON))
        .to.emit(fx.resources, "ResourceTransferredByRuling")
        .withArgs(1n, from, to, await fx.severe.getAddress(), REASON)
        .and.to.emit(fx.resources, "TraceRecorded")
        .withArgs(
          resourceKey(1n),
          (s: bigint) => s > 1n,
          135,
          await fx.severe.getAddress(),
          payloadHash(["uint64", "address", "address", "address", "bytes32"], [1n, from, to, await fx.severe.getAddress(), REASON]),
          (w: string) => w !== ZeroHash,
        );
      expect((await fx.resources.getResource(1n)).holder).to.equal(to);
    });

    it("reverts the proposal when the registry refuses the action (nothing is recorded)", async function () {
      await expect(fx.severe.connect(fx.regulator).propose(SevereKind.TransferHolding, 1n, await fx.processor.getAddress(), cause, REASON))
        .to.be.revertedWithCustomError(fx.resources, "ResourceInvalidRecipient")
        .withArgs(1n, await fx.processor.getAddress());
      expect(await fx.severe.proposalCount()).to.equal(0n);
    });

    it("reverts with SevereNotApprover for members that are neither regulator nor arbiter", async function () {
      for (const s of [fx.gov, fx.holder, fx.operator]) {
        await expect(fx.severe.connect(s).propose(SevereKind.ExpelMember, 0n, await fx.processor3.getAddress(), cause, REASON))
          .to.be.revertedWithCustomError(fx.severe, "SevereNotApprover")
          .withArgs(await s.getAddress());
      }
    });

    it("reverts with SevereInvalidTarget when the target does not fit the kind", async function () {
      const acct = await fx.processor3.getAddress();
      const bad = [
        [SevereKind.ExpelMember, 1n, acct],
        [SevereKind.ExpelMember, 0n, ZERO_ADDRESS],
        [SevereKind.ForcedExit, 0n, ZERO_ADDRESS],
        [SevereKind.ForcedExit, 1n, acct],
        [SevereKind.TransferHolding, 0n, acct],
        [SevereKind.TransferHolding, 1n, ZERO_ADDRESS],
      ] as const;
      for (const [kind, id, account] of bad) {
        await expect(fx.severe.connect(fx.regulator).propose(kind, id, account, cause, REASON))
          .to.be.revertedWithCustomError(fx.severe, "SevereInvalidTarget")
          .withArgs(kind, id, account);
      }
    });

    it("reverts with SevereInvalidCause and SevereEmptyReason", async function () {
      const acct = await fx.processor3.getAddress();
      await expect(fx.severe.connect(fx.regulator).propose(SevereKind.ExpelMember, 0n, acct, keys.report(5n), REASON))
        .to.be.revertedWithCustomError(fx.severe, "SevereInvalidCause")
        .withArgs(keys.report(5n));
      await expect(fx.severe.connect(fx.regulator).propose(SevereKind.ExpelMember, 0n, acct, cause, ZeroHash)).to.be.revertedWithCustomError(fx.severe, "SevereEmptyReason");
    });
  });

  describe("approve (threshold 2)", function () {
    beforeEach(async function () {
      await (await fx.severe.setThreshold(2)).wait();
    });

    it("waits for a second distinct approver, then executes in the approving transaction", async function () {
      const target = await fx.processor3.getAddress();
      await (await fx.severe.connect(fx.regulator).propose(SevereKind.ExpelMember, 0n, target, cause, REASON)).wait();
      expect(await fx.members.statusOf(target)).to.equal(MemberStatus.Active);
      expect((await fx.severe.getProposal(1n)).status).to.equal(ProposalStatus.Pending);
      await expect(fx.severe.connect(fx.regulator).approve(1n))
        .to.be.revertedWithCustomError(fx.severe, "SevereAlreadyApproved")
        .withArgs(1n, await fx.regulator.getAddress());
      const arbiter = await fx.arbiter.getAddress();
      await expect(fx.severe.connect(fx.arbiter).approve(1n))
        .to.emit(fx.severe, "SevereApproved")
        .withArgs(1n, arbiter, 2)
        .and.to.emit(fx.severe, "SevereExecuted")
        .withArgs(1n, arbiter)
        .and.to.emit(fx.members, "MemberExpelled");
      expect(await fx.members.statusOf(target)).to.equal(MemberStatus.Exited);
      expect(await fx.severe.hasApproved(1n, arbiter)).to.equal(true);
      await expect(fx.severe.connect(fx.regulator2).approve(1n))
        .to.be.revertedWithCustomError(fx.severe, "SevereNotPending")
        .withArgs(1n, ProposalStatus.Executed);
    });

    it("keeps the threshold a proposal was made with", async function () {
      await (await fx.severe.connect(fx.regulator).propose(SevereKind.ForcedExit, 1n, ZERO_ADDRESS, cause, REASON)).wait();
      await (await fx.severe.setThreshold(3)).wait();
      await expect(fx.severe.connect(fx.regulator2).approve(1n)).to.emit(fx.severe, "SevereExecuted");
    });

    it("cancels a pending proposal (proposer or governance), which then cannot be approved", async function () {
      await (await fx.severe.connect(fx.regulator).propose(SevereKind.ForcedExit, 1n, ZERO_ADDRESS, cause, REASON)).wait();
      await (await fx.severe.connect(fx.regulator).propose(SevereKind.ForcedExit, 1n, ZERO_ADDRESS, cause, REASON)).wait();
      await expect(fx.severe.connect(fx.regulator2).cancel(1n, REASON))
        .to.be.revertedWithCustomError(fx.severe, "SevereNotCanceller")
        .withArgs(1n, await fx.regulator2.getAddress());
      await expect(fx.severe.connect(fx.regulator).cancel(1n, ZeroHash)).to.be.revertedWithCustomError(fx.severe, "SevereEmptyReason");
      await expect(fx.severe.connect(fx.regulator).cancel(1n, REASON)).to.emit(fx.severe, "SevereCancelled").withArgs(1n, await fx.regulator.getAddress(), REASON);
      await expect(fx.severe.cancel(2n, REASON)).to.emit(fx.severe, "SevereCancelled").withArgs(2n, await fx.gov.getAddress(), REASON);
      await expect(fx.severe.connect(fx.arbiter).approve(1n))
        .to.be.revertedWithCustomError(fx.severe, "SevereNotPending")
        .withArgs(1n, ProposalStatus.Cancelled);
      expect((await fx.severe.getProposal(1n)).status).to.equal(ProposalStatus.Cancelled);
    });

    it("reverts with SevereUnknown for a proposal never made, and SevereNotApprover for other members", async function () {
      await expect(fx.severe.connect(fx.regulator).approve(7n)).to.be.revertedWithCustomError(fx.severe, "SevereUnknown").withArgs(7n);
      await expect(fx.severe.getProposal(7n)).to.be.revertedWithCustomError(fx.severe, "SevereUnknown").withArgs(7n);
      await (await fx.severe.connect(fx.regulator).propose(SevereKind.ForcedExit, 1n, ZERO_ADDRESS, cause, REASON)).wait();
      await expect(fx.severe.connect(fx.holder).approve(1n)).to.be.revertedWithCustomError(fx.severe, "SevereNotApprover").withArgs(await fx.holder.getAddress());
    });
  });

  describe("governance", function () {
    it("sets the threshold within 1..16", async function () {
      await expect(fx.severe.setThreshold(3)).to.emit(fx.severe, "SevereThresholdSet").withArgs(3, await fx.gov.getAddress());
      expect(await fx.severe.threshold()).to.equal(3n);
      await expect(fx.severe.setThreshold(0)).to.be.revertedWithCustomError(fx.severe, "SevereInvalidThreshold").withArgs(0, 16);
      await expect(fx.severe.setThreshold(17)).to.be.revertedWithCustomError(fx.severe, "SevereInvalidThreshold").withArgs(17, 16);
    });

    it("wires the dispute registry once; proposeByRuling is refused to anyone else", async function () {
      const current = await fx.disputes.getAddress();
      expect(await fx.severe.disputeRegistry()).to.equal(current);
      await expect(fx.severe.setDisputeRegistry(current)).to.be.revertedWithCustomError(fx.severe, "SevereDisputeRegistryAlreadySet").withArgs(current);
      await expect(fx.severe.setDisputeRegistry(ZERO_ADDRESS)).to.be.revertedWithCustomError(fx.severe, "SevereZeroAddress");
      await expect(fx.severe.connect(fx.regulator).proposeByRuling(1n, await fx.holder2.getAddress(), cause, REASON, await fx.arbiter.getAddress()))
        .to.be.revertedWithCustomError(fx.severe, "SevereNotDisputeRegistry")
        .withArgs(await fx.regulator.getAddress());
    });
  });

  describe("the registries' severe-action hooks", function () {
    it("once wired, refuses expulsion by governance, forced exit by governance and transfer by ruling by anyone but the executor", async function () {
      const gov = await fx.gov.getAddress();
      await expect(fx.members.expel(await fx.processor3.getAddress(), REASON)).to.be.revertedWithCustomError(fx.members, "MemberNotSevereExecutor").withArgs(gov);
      await expect(fx.operations.exit(1n, REASON)).to.be.revertedWithCustomError(fx.operations, "OperationNotExiter").withArgs(1n, gov);
      await expect(fx.resources.connect(fx.regulator).transferByRuling(1n, await fx.holder2.getAddress(), REASON))
        .to.be.revertedWithCustomError(fx.resources, "MemberGatedNotSevereExecutor")
        .withArgs(await fx.regulator.getAddress());
      // The operator's own exit stays voluntary.
      await expect(fx.operations.connect(fx.operator).exit(1n, REASON)).to.emit(fx.operations, "OperationExitedBy");
    });

    it("the member registry's executor is set once, by governance, with SevereExecutorSet", async function () {
      const current = await fx.severe.getAddress();
      expect(await fx.members.severeExecutor()).to.equal(current);
      await expect(fx.members.setSevereExecutor(current)).to.be.revertedWithCustomError(fx.members, "MemberSevereExecutorAlreadySet").withArgs(current);
      const bare = await ethers.deployContract("MemberRegistry", [await fx.gov.getAddress(), h("org"), h("cred")]);
      await expect(bare.setSevereExecutor(ZERO_ADDRESS)).to.be.revertedWithCustomError(bare, "MemberZeroAddress");
      await expect(bare.setSevereExecutor(current)).to.emit(bare, "SevereExecutorSet").withArgs(current, await fx.gov.getAddress());
    });

    it("before wiring, transferByRuling is refused to everyone", async function () {
      const bare = await ethers.deployContract("MemberRegistry", [await fx.gov.getAddress(), h("org"), h("cred")]);
      const resources = await ethers.deployContract("ResourceRegistry", [await bare.getAddress(), 3600]);
      await expect(resources.transferByRuling(1n, await fx.holder2.getAddress(), REASON))
        .to.be.revertedWithCustomError(resources, "MemberGatedNotSevereExecutor")
        .withArgs(await fx.gov.getAddress());
    });

    it("transferByRuling refuses a cancelled resource, a zero reason and an ineligible recipient", async function () {
      const regulatorAsExecutor = await ethers.deployContract("MemberRegistry", [await fx.gov.getAddress(), h("org"), h("cred")]);
      const resources = await ethers.deployContract("ResourceRegistry", [await regulatorAsExecutor.getAddress(), 3600]);
      const [h1, h2] = [await fx.holder.getAddress(), await fx.holder2.getAddress()];
      for (const a of [h1, h2]) await (await regulatorAsExecutor.admit(a, h(`o${a}`), h(`c${a}`), [ethers.id("drl.role.HOLDER")])).wait();
      await (await regulatorAsExecutor.setSevereExecutor(await fx.gov.getAddress())).wait();
      await (await resources.connect(fx.holder).register(0, 1, 0, 0, 0, h("c1"), "ipfs://1")).wait();
      await expect(resources.transferByRuling(9n, h2, REASON)).to.be.revertedWithCustomError(resources, "ResourceUnknown").withArgs(9n);
      await expect(resources.transferByRuling(1n, h2, ZeroHash)).to.be.revertedWithCustomError(resources, "ResourceEmptyHash");
      await expect(resources.transferByRuling(1n, h1, REASON)).to.be.revertedWithCustomError(resources, "ResourceInvalidRecipient").withArgs(1n, h1);
      await expect(resources.transferByRuling(1n, await fx.processor.getAddress(), REASON)).to.be.revertedWithCustomError(resources, "ResourceInvalidRecipient");
      await (await resources.connect(fx.holder).cancel(1n, REASON)).wait();
      await expect(resources.transferByRuling(1n, h2, REASON)).to.be.revertedWithCustomError(resources, "ResourceIsCancelled").withArgs(1n);
    });
  });
});
