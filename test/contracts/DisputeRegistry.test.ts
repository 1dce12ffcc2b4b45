import { expect } from "chai";
import { AbiCoder, ZeroHash, keccak256 } from "ethers";
import { ethers, h, networkHelpers } from "../helpers/fixtures.js";
import { Invalidity } from "../helpers/enums.js";
import { payloadHash } from "../helpers/trace.js";
import {
  APPEAL_WINDOW,
  DisputeStatus,
  OutcomeKind,
  ProposalStatus,
  ZERO_ADDRESS,
  keys,
  outcome,
  supervisionFixture,
  type Outcome,
  type SupervisionFixture,
} from "../helpers/supervision-fixture.js";

const CLAIM = h("claim");
const RULING = h("ruling");
const APPEAL_RULING = h("appeal-ruling");
const OUTCOME_TUPLE = "tuple(uint8 kind,uint8 subject,address beneficiary,uint128 amount)[]";
const outcomesHash = (o: Outcome[]): string => keccak256(AbiCoder.defaultAbiCoder().encode([OUTCOME_TUPLE], [o]));

describe("DisputeRegistry", function () {
  let fx: SupervisionFixture;
  let claimant: string;
  let respondent: string;
  /** Subjects of dispute 1: resource 1 (index 0), grant 1 (1), product 1 (2). */
  const SUBJECTS = [keys.resource(1n), keys.grant(1n), keys.product(1n)];

  beforeEach(async function () {
    fx = await supervisionFixture();
    claimant = await fx.holder2.getAddress();
    respondent = await fx.holder.getAddress();
  });

  const openDispute = async () => (await fx.disputes.connect(fx.holder2).open(respondent, SUBJECTS, CLAIM)).wait();
  const assign = async (appeal = false) => (await fx.disputes.assignArbiter(1n, await (appeal ? fx.arbiter2 : fx.arbiter).getAddress())).wait();
  const ruled = async (outcomes: Outcome[]) => {
    await openDispute();
    await assign();
    await (await fx.disputes.connect(fx.arbiter).rule(1n, RULING, outcomes)).wait();
  };

  describe("open", function () {
    it("opens a dispute over 1..8 subjects, emits DisputeOpened and traces DISPUTE_OPENED on the dispute", async function () {
      await expect(fx.disputes.connect(fx.holder2).open(respondent, SUBJECTS, CLAIM))
        .to.emit(fx.disputes, "DisputeOpened")
        .withArgs(1n, claimant, respondent, CLAIM, SUBJECTS)
        .and.to.emit(fx.disputes, "TraceRecorded")
        .withArgs(
          keys.dispute(1n),
          1n,
          110,
          claimant,
          payloadHash(["uint64", "address", "address", "bytes32", "bytes32[]"], [1n, claimant, respondent, CLAIM, SUBJECTS]),
          (w: string) => w !== ZeroHash,
        );
      const d = await fx.disputes.getDispute(1n);
      expect([d.claimant, d.respondent, d.status, d.subjectCount]).to.deep.equal([claimant, respondent, BigInt(DisputeStatus.Open), 3n]);
      expect(await fx.disputes.subjectsOf(1n)).to.deep.equal(SUBJECTS);
      expect(await fx.disputes.disputeCount()).to.equal(1n);
    });

    it("reverts with DisputeInvalidRespondent for self, a non-member and a suspended member", async function () {
      for (const r of [claimant, await fx.outsider.getAddress(), await fx.suspended.getAddress()]) {
        await expect(fx.disputes.connect(fx.holder2).open(r, SUBJECTS, CLAIM)).to.be.revertedWithCustomError(fx.disputes, "DisputeInvalidRespondent").withArgs(r);
      }
    });

    it("reverts with DisputeInvalidSubjects for none, more than 8 and duplicates; with the subject error for unknown ones", async function () {
      const open = (s: string[]) => fx.disputes.connect(fx.holder2).open(respondent, s, CLAIM);
      await expect(open([])).to.be.revertedWithCustomError(fx.disputes, "DisputeInvalidSubjects").withArgs(0, 8);
      const nine = Array.from({ length: 9 }, (_, i) => keys.member(i % 2 === 0 ? claimant : respondent));
      await expect(open(nine)).to.be.revertedWithCustomError(fx.disputes, "DisputeInvalidSubjects").withArgs(9, 8);
      await expect(open([keys.resource(1n), keys.resource(1n)])).to.be.revertedWithCustomError(fx.disputes, "DisputeInvalidSubjects").withArgs(2, 8);
      await expect(open([keys.resource(1n), keys.grant(9n)])).to.be.revertedWithCustomError(fx.disputes, "SupervisionUnknownSubject").withArgs(keys.grant(9n));
      await expect(open([keys.trade(1n)])).to.be.revertedWithCustomError(fx.disputes, "SupervisionTradesNotWired");
    });

    it("reverts with DisputeEmptyHash when the claim hash is zero", async function () {
      await expect(fx.disputes.connect(fx.holder2).open(respondent, SUBJECTS, ZeroHash)).to.be.revertedWithCustomError(fx.disputes, "DisputeEmptyHash");
    });
  });

  describe("submitEvidence", function () {
    beforeEach(openDispute);

    it("accepts evidence from each party, each hash once across all disputes", async function () {
      await expect(fx.disputes.connect(fx.holder2).submitEvidence(1n, h("ev:1"), "ipfs://ev/1"))
        .to.emit(fx.disputes, "EvidenceSubmitted")
        .withArgs(1n, claimant, h("ev:1"), "ipfs://ev/1")
        .and.to.emit(fx.disputes, "TraceRecorded")
        .withArgs(keys.dispute(1n), 2n, 111, claimant, payloadHash(["uint64", "address", "bytes32", "string"], [1n, claimant, h("ev:1"), "ipfs://ev/1"]), (w: string) => w !== ZeroHash);
      await (await fx.disputes.connect(fx.holder).submitEvidence(1n, h("ev:2"), "ipfs://ev/2")).wait();
      expect(await fx.disputes.isEvidenceUsed(h("ev:1"))).to.equal(true);
      await expect(fx.disputes.connect(fx.holder).submitEvidence(1n, h("ev:1"), "ipfs://again"))
        .to.be.revertedWithCustomError(fx.disputes, "DisputeEvidenceUsed")
        .withArgs(h("ev:1"));
      await (await fx.disputes.connect(fx.processor).open(respondent, [keys.resource(1n)], CLAIM)).wait();
      await expect(fx.disputes.connect(fx.processor).submitEvidence(2n, h("ev:2"), "ipfs://other"))
        .to.be.revertedWithCustomError(fx.disputes, "DisputeEvidenceUsed")
        .withArgs(h("ev:2"));
    });

    it("reverts with DisputeNotParty, DisputeEmptyHash, DisputeInvalidUri and DisputeUnknown", async function () {
      await expect(fx.disputes.connect(fx.processor).submitEvidence(1n, h("e"), "u"))
        .to.be.revertedWithCustomError(fx.disputes, "DisputeNotParty")
        .withArgs(1n, await fx.processor.getAddress());
      await expect(fx.disputes.connect(fx.holder2).submitEvidence(1n, ZeroHash, "u")).to.be.revertedWithCustomError(fx.disputes, "DisputeEmptyHash");
      await expect(fx.disputes.connect(fx.holder2).submitEvidence(1n, h("e"), "")).to.be.revertedWithCustomError(fx.disputes, "DisputeInvalidUri").withArgs(0, 512);
      await expect(fx.disputes.connect(fx.holder2).submitEvidence(1n, h("e"), "x".repeat(513)))
        .to.be.revertedWithCustomError(fx.disputes, "DisputeInvalidUri")
        .withArgs(513, 512);
      await expect(fx.disputes.connect(fx.holder2).submitEvidence(5n, h("e"), "u")).to.be.revertedWithCustomError(fx.disputes, "DisputeUnknown").withArgs(5n);
    });

    it("is refused after the ruling (DisputeInvalidStatus) and accepted again under appeal", async function () {
      await assign();
      await (await fx.disputes.connect(fx.arbiter).rule(1n, RULING, [outcome(OutcomeKind.Dismiss)])).wait();
      await expect(fx.disputes.connect(fx.holder2).submitEvidence(1n, h("late"), "u"))
        .to.be.revertedWithCustomError(fx.disputes, "DisputeInvalidStatus")
        .withArgs(1n, DisputeStatus.Ruled);
      await (await fx.disputes.connect(fx.holder2).appeal(1n, h("grounds"))).wait();
      await expect(fx.disputes.connect(fx.holder2).submitEvidence(1n, h("late"), "u")).to.emit(fx.disputes, "EvidenceSubmitted");
    });
  });

  describe("arbiters", function () {
    beforeEach(openDispute);

    it("governance assigns (and may reassign before the ruling)", async function () {
      const a1 = await fx.arbiter.getAddress();
      await expect(fx.disputes.assignArbiter(1n, a1)).to.emit(fx.disputes, "ArbiterAssigned").withArgs(1n, a1, await fx.gov.getAddress(), false, false);
      const a2 = await fx.arbiter2.getAddress();
      await (await fx.disputes.assignArbiter(1n, a2)).wait();
      expect((await fx.disputes.getDispute(1n)).arbiter).to.equal(a2);
    });

    it("the parties' agreement assigns when both propose the same arbiter", async function () {
      const a1 = await fx.arbiter.getAddress();
      const a2 = await fx.arbiter2.getAddress();
      await expect(fx.disputes.connect(fx.holder2).agreeArbiter(1n, a1)).to.emit(fx.disputes, "ArbiterProposed").withArgs(1n, claimant, a1, false).and.not.to.emit(fx.disputes, "ArbiterAssigned");
      await expect(fx.disputes.connect(fx.holder).agreeArbiter(1n, a2)).not.to.emit(fx.disputes, "ArbiterAssigned");
      await expect(fx.disputes.connect(fx.holder).agreeArbiter(1n, a1)).to.emit(fx.disputes, "ArbiterAssigned").withArgs(1n, a1, respondent, false, true);
      expect((await fx.disputes.getDispute(1n)).arbiter).to.equal(a1);
      await expect(fx.disputes.connect(fx.processor).agreeArbiter(1n, a1))
        .to.be.revertedWithCustomError(fx.disputes, "DisputeNotParty")
        .withArgs(1n, await fx.processor.getAddress());
    });

    it("reverts with DisputeIneligibleArbiter for a non-arbiter, a party, and on appeal the first arbiter", async function () {
      for (const a of [await fx.regulator.getAddress(), await fx.suspended.getAddress(), ZERO_ADDRESS]) {
        await expect(fx.disputes.assignArbiter(1n, a)).to.be.revertedWithCustomError(fx.disputes, "DisputeIneligibleArbiter").withArgs(1n, a);
      }
      await (await fx.members.grantRole((await import("../helpers/fixtures.js")).ROLES.ARBITER, respondent)).wait();
      await expect(fx.disputes.assignArbiter(1n, respondent)).to.be.revertedWithCustomError(fx.disputes, "DisputeIneligibleArbiter").withArgs(1n, respondent);
      await assign();
      await (await fx.disputes.connect(fx.arbiter).rule(1n, RULING, [outcome(OutcomeKind.Dismiss)])).wait();
      await expect(fx.disputes.assignArbiter(1n, await fx.arbiter.getAddress()))
        .to.be.revertedWithCustomError(fx.disputes, "DisputeInvalidStatus")
        .withArgs(1n, DisputeStatus.Ruled);
      await (await fx.disputes.connect(fx.holder).appeal(1n, h("grounds"))).wait();
      await expect(fx.disputes.assignArbiter(1n, await fx.arbiter.getAddress()))
        .to.be.revertedWithCustomError(fx.disputes, "DisputeIneligibleArbiter")
        .withArgs(1n, await fx.arbiter.getAddress());
      await expect(fx.disputes.connect(fx.holder).agreeArbiter(1n, await fx.arbiter.getAddress()))
        .to.be.revertedWithCustomError(fx.disputes, "DisputeIneligibleArbiter")
        .withArgs(1n, await fx.arbiter.getAddress());
    });
  });

  describe("rule", function () {
    beforeEach(async function () {
      await openDispute();
      await assign();
    });

    it("records the ruling with its deadline, emits RulingRecorded and freezes ordered subjects at once (interim)", async function () {
      const outcomes = [outcome(OutcomeKind.FreezeSubject, { subject: 0 }), outcome(OutcomeKind.Compensation, { beneficiary: claimant, amount: 500n })];
      const arbiter = await fx.arbiter.getAddress();
      const tx = fx.disputes.connect(fx.arbiter).rule(1n, RULING, outcomes);
      await expect(tx)
        .to.emit(fx.disputes, "RulingRecorded")
        .withArgs(1n, arbiter, false, RULING, (d: bigint) => d > 0n, (o: unknown[]) => o.length === 2)
        .and.to.emit(fx.disputes, "RulingFreezeApplied")
        .withArgs(1n, keys.resource(1n))
        .and.to.emit(fx.resources, "ResourceFrozen")
        .withArgs(1n, await fx.disputes.getAddress(), RULING);
      const ts = BigInt(await networkHelpers.time.latest());
      const d = await fx.disputes.getDispute(1n);
      expect([d.status, d.appealDeadline, d.rulingHash, d.outcomesHash, d.frozenMask]).to.deep.equal([
        BigInt(DisputeStatus.Ruled),
        ts + BigInt(APPEAL_WINDOW),
        RULING,
        outcomesHash(outcomes),
        1n,
      ]);
      expect(await fx.disputes.isFinal(1n)).to.equal(false);
      // Propagation by rule: grant 1 over the frozen resource is not valid.
      expect((await fx.grants.grantValidity(1n))[0]).to.equal(Invalidity.SubjectFrozen);
    });

    it("leaves a subject frozen by someone else alone (no event, not in the mask)", async function () {
      await (await fx.grants.connect(fx.regulator).freeze(1n, h("regulator"))).wait();
      await expect(fx.disputes.connect(fx.arbiter).rule(1n, RULING, [outcome(OutcomeKind.FreezeSubject, { subject: 1 })])).not.to.emit(fx.disputes, "RulingFreezeApplied");
      expect((await fx.disputes.getDispute(1n)).frozenMask).to.equal(0n);
    });

    it("reverts with DisputeNotArbiter for another arbiter, and DisputeEmptyHash for a zero ruling hash", async function () {
      await expect(fx.disputes.connect(fx.arbiter2).rule(1n, RULING, [outcome(OutcomeKind.Dismiss)]))
        .to.be.revertedWithCustomError(fx.disputes, "DisputeNotArbiter")
        .withArgs(1n, await fx.arbiter2.getAddress());
      await expect(fx.disputes.connect(fx.arbiter).rule(1n, ZeroHash, [outcome(OutcomeKind.Dismiss)])).to.be.revertedWithCustomError(fx.disputes, "DisputeEmptyHash");
    });

    it("reverts with DisputeInvalidOutcomeCount and DisputeInvalidOutcome for each malformed outcome", async function () {
      const rule = (o: Outcome[]) => fx.disputes.connect(fx.arbiter).rule(1n, RULING, o);
      await expect(rule([])).to.be.revertedWithCustomError(fx.disputes, "DisputeInvalidOutcomeCount").withArgs(0, 8);
      await expect(rule(Array(9).fill(outcome(OutcomeKind.FreezeSubject)))).to.be.revertedWithCustomError(fx.disputes, "DisputeInvalidOutcomeCount").withArgs(9, 8);
      const other = await fx.processor.getAddress();
      const bad: [Outcome[], number][] = [
        [[outcome(OutcomeKind.FreezeSubject), outcome(OutcomeKind.Dismiss)], 1], // dismiss not alone
        [[outcome(OutcomeKind.Dismiss, { subject: 1 })], 0],
        [[outcome(OutcomeKind.Dismiss, { amount: 1n })], 0],
        [[outcome(OutcomeKind.Compensation, { beneficiary: other, amount: 1n })], 0], // not a party
        [[outcome(OutcomeKind.Compensation, { beneficiary: claimant })], 0], // zero amount
        [[outcome(OutcomeKind.RevokeGrant, { subject: 0 })], 0], // a resource, not a grant
        [[outcome(OutcomeKind.RevokeGrant, { subject: 3 })], 0], // no such subject
        [[outcome(OutcomeKind.TransferHolding, { subject: 1, beneficiary: claimant })], 0], // a grant, not a resource
        [[outcome(OutcomeKind.TransferHolding, { subject: 0, beneficiary: other })], 0], // not a party
        [[outcome(OutcomeKind.FreezeSubject, { subject: 0, beneficiary: claimant })], 0],
        [[outcome(OutcomeKind.FreezeSubject, { subject: 1, amount: 5n })], 0],
        [[outcome(9 as number)], 0],
      ];
      for (const [o, index] of bad) {
        const r = rule(o);
        if (o[0]!.kind === 9) await expect(r).to.be.revert(ethers);
        else await expect(r, JSON.stringify(o, (_, v) => (typeof v === "bigint" ? v.toString() : v))).to.be.revertedWithCustomError(fx.disputes, "DisputeInvalidOutcome").withArgs(index);
      }
    });

    it("refuses a member subject as a freeze target (members are suspended by sanctions)", async function () {
      await (await fx.disputes.connect(fx.holder2).open(respondent, [keys.member(respondent)], h("c2"))).wait();
      await (await fx.disputes.assignArbiter(2n, await fx.arbiter.getAddress())).wait();
      await expect(fx.disputes.connect(fx.arbiter).rule(2n, RULING, [outcome(OutcomeKind.FreezeSubject)])).to.be.revertedWithCustomError(fx.disputes, "DisputeInvalidOutcome").withArgs(0);
    });

    it("before any arbiter is assigned nobody may rule", async function () {
      await (await fx.disputes.connect(fx.holder2).open(respondent, SUBJECTS, h("c2"))).wait();
      await expect(fx.disputes.connect(fx.arbiter).rule(2n, RULING, [outcome(OutcomeKind.Dismiss)])).to.be.revertedWithCustomError(fx.disputes, "DisputeNotArbiter");
    });
  });

  describe("appeal", function () {
    it("either party appeals once before the deadline; at the deadline the window is closed", async function () {
      await ruled([outcome(OutcomeKind.Dismiss)]);
      const deadline = (await fx.disputes.getDispute(1n)).appealDeadline;
      await expect(fx.disputes.connect(fx.holder).appeal(1n, h("grounds")))
        .to.emit(fx.disputes, "AppealFiled")
        .withArgs(1n, respondent, h("grounds"));
      await expect(fx.disputes.connect(fx.holder2).appeal(1n, h("grounds")))
        .to.be.revertedWithCustomError(fx.disputes, "DisputeInvalidStatus")
        .withArgs(1n, DisputeStatus.Appealed);
      // A second dispute, appealed exactly at its deadline.
      await (await fx.disputes.connect(fx.holder2).open(respondent, [keys.resource(1n)], h("c2"))).wait();
      await (await fx.disputes.assignArbiter(2n, await fx.arbiter.getAddress())).wait();
      await (await fx.disputes.connect(fx.arbiter).rule(2n, RULING, [outcome(OutcomeKind.Dismiss)])).wait();
      const d2 = (await fx.disputes.getDispute(2n)).appealDeadline;
      await networkHelpers.time.setNextBlockTimestamp(d2);
      await expect(fx.disputes.connect(fx.holder2).appeal(2n, h("late")))
        .to.be.revertedWithCustomError(fx.disputes, "DisputeAppealWindowClosed")
        .withArgs(2n, d2);
      expect(deadline).to.be.greaterThan(0n);
    });

    it("reverts with DisputeNotParty, DisputeEmptyHash, and DisputeInvalidStatus before a ruling", async function () {
      await openDispute();
      await expect(fx.disputes.connect(fx.holder2).appeal(1n, h("g"))).to.be.revertedWithCustomError(fx.disputes, "DisputeInvalidStatus").withArgs(1n, DisputeStatus.Open);
      await assign();
      await (await fx.disputes.connect(fx.arbiter).rule(1n, RULING, [outcome(OutcomeKind.Dismiss)])).wait();
      await expect(fx.disputes.connect(fx.processor).appeal(1n, h("g"))).to.be.revertedWithCustomError(fx.disputes, "DisputeNotParty");
      await expect(fx.disputes.connect(fx.holder2).appeal(1n, ZeroHash)).to.be.revertedWithCustomError(fx.disputes, "DisputeEmptyHash");
    });

    it("a different arbiter rules the appeal: interim freezes not ordered again are lifted, the rest kept, new ones applied", async function () {
      // First ruling freezes resource 1 (index 0) and grant 1 (index 1).
      await ruled([outcome(OutcomeKind.FreezeSubject, { subject: 0 }), outcome(OutcomeKind.FreezeSubject, { subject: 1 })]);
      expect((await fx.disputes.getDispute(1n)).frozenMask).to.equal(0b011n);
      await (await fx.disputes.connect(fx.holder).appeal(1n, h("grounds"))).wait();
      await expect(fx.disputes.connect(fx.arbiter).rule(1n, APPEAL_RULING, [outcome(OutcomeKind.Dismiss)]))
        .to.be.revertedWithCustomError(fx.disputes, "DisputeNotArbiter");
      await assign(true);
      // The appeal keeps grant 1 frozen, releases resource 1 and freezes product 1 (index 2).
      const final = [outcome(OutcomeKind.FreezeSubject, { subject: 1 }), outcome(OutcomeKind.FreezeSubject, { subject: 2 })];
      const tx = fx.disputes.connect(fx.arbiter2).rule(1n, APPEAL_RULING, final);
      await expect(tx)
        .to.emit(fx.disputes, "RulingRecorded")
        .withArgs(1n, await fx.arbiter2.getAddress(), true, APPEAL_RULING, (d: bigint) => d > 0n, (o: unknown[]) => o.length === 2)
        .and.to.emit(fx.disputes, "RulingFreezeLifted")
        .withArgs(1n, keys.resource(1n))
        .and.to.emit(fx.resources, "ResourceUnfrozen")
        .withArgs(1n, await fx.disputes.getAddress(), APPEAL_RULING)
        .and.to.emit(fx.disputes, "RulingFreezeApplied")
        .withArgs(1n, keys.product(1n));
      expect((await fx.resources.getResource(1n)).frozen).to.equal(false);
      expect((await fx.grants.getGrant(1n)).frozen).to.equal(true);
      expect((await fx.products.getProduct(1n)).frozen).to.equal(true);
      const d = await fx.disputes.getDispute(1n);
      expect([d.status, d.frozenMask, d.rulingHash, d.outcomesHash]).to.deep.equal([BigInt(DisputeStatus.AppealRuled), 0b110n, APPEAL_RULING, outcomesHash(final)]);
      expect(await fx.disputes.isFinal(1n)).to.equal(true);
    });

    it("an appeal ruling that dismisses lifts every interim freeze still held (one lifted by a regulator meanwhile is skipped)", async function () {
      await ruled([outcome(OutcomeKind.FreezeSubject, { subject: 0 }), outcome(OutcomeKind.FreezeSubject, { subject: 2 })]);
      await (await fx.disputes.connect(fx.holder).appeal(1n, h("grounds"))).wait();
      await (await fx.products.connect(fx.regulator).unfreeze(1n, h("regulator"))).wait();
      await assign(true);
      await expect(fx.disputes.connect(fx.arbiter2).rule(1n, APPEAL_RULING, [outcome(OutcomeKind.Dismiss)]))
        .to.emit(fx.disputes, "RulingFreezeLifted")
        .withArgs(1n, keys.resource(1n))
        .and.not.to.emit(fx.products, "ProductUnfrozen");
      expect((await fx.resources.getResource(1n)).frozen).to.equal(false);
      expect((await fx.disputes.getDispute(1n)).frozenMask).to.equal(0n);
    });
  });

  describe("execute", function () {
    const effects = (): Outcome[] => [
      outcome(OutcomeKind.RevokeGrant, { subject: 1 }),
      outcome(OutcomeKind.TransferHolding, { subject: 0, beneficiary: claimant }),
      outcome(OutcomeKind.Compensation, { beneficiary: claimant, amount: 1000n }),
      outcome(OutcomeKind.Compensation, { beneficiary: claimant, amount: 234n }),
    ];

    it("is refused before the deadline (DisputeNotFinal) and applies every effect in one transaction at the deadline", async function () {
      const o = effects();
      await ruled(o);
      const deadline = (await fx.disputes.getDispute(1n)).appealDeadline;
      await networkHelpers.time.setNextBlockTimestamp(deadline - 1n);
      await expect(fx.disputes.connect(fx.processor).execute(1n, o)).to.be.revertedWithCustomError(fx.disputes, "DisputeNotFinal").withArgs(1n);
      await networkHelpers.time.setNextBlockTimestamp(deadline);
      const executor = await fx.processor.getAddress();
      const disputes = await fx.disputes.getAddress();
      await expect(fx.disputes.connect(fx.processor).execute(1n, o))
        .to.emit(fx.disputes, "RulingExecuted")
        .withArgs(1n, executor, outcomesHash(o))
        .and.to.emit(fx.grants, "GrantRevoked")
        .withArgs(1n, disputes, RULING)
        .and.to.emit(fx.severe, "SevereProposed")
        .withArgs(1n, 2, keys.dispute(1n), disputes, await fx.arbiter.getAddress(), 1n, claimant, 1, RULING)
        .and.to.emit(fx.resources, "ResourceTransferredByRuling")
        .withArgs(1n, respondent, claimant, await fx.severe.getAddress(), RULING)
        .and.to.emit(fx.disputes, "CompensationRecorded")
        .withArgs(1n, respondent, claimant, 1000n);
      expect((await fx.grants.getGrant(1n)).revoked).to.equal(true);
      expect((await fx.resources.getResource(1n)).holder).to.equal(claimant);
      expect(await fx.disputes.compensationOf(1n, claimant)).to.equal(1234n);
      expect(await fx.disputes.disputeStatus(1n)).to.equal(DisputeStatus.Executed);
      await expect(fx.disputes.execute(1n, o)).to.be.revertedWithCustomError(fx.disputes, "DisputeInvalidStatus").withArgs(1n, DisputeStatus.Executed);
    });

    it("executes an appeal ruling at once, counting the appeal arbiter as the transfer's first approval", async function () {
      await (await fx.severe.setThreshold(2)).wait();
      await ruled([outcome(OutcomeKind.Dismiss)]);
      await (await fx.disputes.connect(fx.holder2).appeal(1n, h("grounds"))).wait();
      await assign(true);
      const final = [outcome(OutcomeKind.TransferHolding, { subject: 0, beneficiary: claimant })];
      await (await fx.disputes.connect(fx.arbiter2).rule(1n, APPEAL_RULING, final)).wait();
      await (await fx.disputes.connect(fx.holder2).execute(1n, final)).wait();
      const p = await fx.severe.getProposal(1n);
      expect([p.status, p.approvals]).to.deep.equal([BigInt(ProposalStatus.Pending), 1n]);
      expect(await fx.severe.hasApproved(1n, await fx.arbiter2.getAddress())).to.equal(true);
      await expect(fx.severe.connect(fx.arbiter2).approve(1n)).to.be.revertedWithCustomError(fx.severe, "SevereAlreadyApproved");
      await expect(fx.severe.connect(fx.regulator).approve(1n)).to.emit(fx.resources, "ResourceTransferredByRuling");
    });

    it("reverts all effects when one fails (the transfer's recipient lost the holder role): nothing revoked, nothing recorded", async function () {
      const o = effects();
      await ruled(o);
      await networkHelpers.time.increase(APPEAL_WINDOW);
      await (await fx.members.revokeRole((await import("../helpers/fixtures.js")).ROLES.HOLDER, claimant)).wait();
      await expect(fx.disputes.connect(fx.processor).execute(1n, o)).to.be.revertedWithCustomError(fx.resources, "ResourceInvalidRecipient").withArgs(1n, claimant);
      expect((await fx.grants.getGrant(1n)).revoked).to.equal(false);
      expect(await fx.disputes.compensationOf(1n, claimant)).to.equal(0n);
      expect(await fx.disputes.disputeStatus(1n)).to.equal(DisputeStatus.Ruled);
    });

    it("treats a grant revoked meanwhile as done", async function () {
      const o = [outcome(OutcomeKind.RevokeGrant, { subject: 1 })];
      await ruled(o);
      await (await fx.grants.connect(fx.holder).revoke(1n, h("own"))).wait();
      await networkHelpers.time.increase(APPEAL_WINDOW);
      await expect(fx.disputes.connect(fx.processor).execute(1n, o)).to.emit(fx.disputes, "RulingExecuted").and.not.to.emit(fx.grants, "GrantRevoked");
    });

    it("reverts with DisputeOutcomesMismatch, and DisputeInvalidStatus while open or appealed", async function () {
      await openDispute();
      await expect(fx.disputes.execute(1n, [])).to.be.revertedWithCustomError(fx.disputes, "DisputeInvalidStatus").withArgs(1n, DisputeStatus.Open);
      await assign();
      await (await fx.disputes.connect(fx.arbiter).rule(1n, RULING, [outcome(OutcomeKind.Dismiss)])).wait();
      await networkHelpers.time.increase(APPEAL_WINDOW);
      await expect(fx.disputes.execute(1n, [outcome(OutcomeKind.FreezeSubject)])).to.be.revertedWithCustomError(fx.disputes, "DisputeOutcomesMismatch").withArgs(1n);
      await expect(fx.disputes.execute(1n, [outcome(OutcomeKind.Dismiss)])).to.emit(fx.disputes, "RulingExecuted");
    });
  });

  describe("withdraw", function () {
    beforeEach(openDispute);

    it("the claimant withdraws an open dispute; it stays on record", async function () {
      await expect(fx.disputes.connect(fx.holder).withdraw(1n, h("w"))).to.be.revertedWithCustomError(fx.disputes, "DisputeNotClaimant").withArgs(1n, respondent);
      await expect(fx.disputes.connect(fx.holder2).withdraw(1n, ZeroHash)).to.be.revertedWithCustomError(fx.disputes, "DisputeEmptyHash");
      await expect(fx.disputes.connect(fx.holder2).withdraw(1n, h("w"))).to.emit(fx.disputes, "DisputeWithdrawn").withArgs(1n, claimant, h("w"));
      expect((await fx.disputes.getDispute(1n)).status).to.equal(DisputeStatus.Withdrawn);
      await expect(fx.disputes.connect(fx.holder2).withdraw(1n, h("w")))
        .to.be.revertedWithCustomError(fx.disputes, "DisputeInvalidStatus")
        .withArgs(1n, DisputeStatus.Withdrawn);
      await expect(fx.disputes.assignArbiter(1n, await fx.arbiter.getAddress())).to.be.revertedWithCustomError(fx.disputes, "DisputeInvalidStatus");
    });
  });

  describe("setAppealWindow", function () {
    it("sets the window for later rulings within 1 s .. 180 days", async function () {
      await expect(fx.disputes.setAppealWindow(3600)).to.emit(fx.disputes, "AppealWindowSet").withArgs(3600, await fx.gov.getAddress());
      expect(await fx.disputes.appealWindow()).to.equal(3600n);
      await expect(fx.disputes.setAppealWindow(0)).to.be.revertedWithCustomError(fx.disputes, "DisputeInvalidAppealWindow").withArgs(0, 180 * 86400);
      await expect(fx.disputes.setAppealWindow(180 * 86400 + 1)).to.be.revertedWithCustomError(fx.disputes, "DisputeInvalidAppealWindow");
      await ruled([outcome(OutcomeKind.Dismiss)]);
      const ts = BigInt(await networkHelpers.time.latest());
      expect((await fx.disputes.getDispute(1n)).appealDeadline).to.equal(ts + 3600n);
    });
  });
});
