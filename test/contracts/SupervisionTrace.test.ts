import { expect } from "chai";
import { h, networkHelpers } from "../helpers/fixtures.js";
import { collectLogs, traceLogs } from "../helpers/trace.js";
import { ethers } from "../helpers/fixtures.js";
import { APPEAL_WINDOW, OutcomeKind, ReportCategory, SevereKind, SUPERVISION_ACTION_EVENTS, ZERO_ADDRESS, keys, outcome, supervisionFixture } from "../helpers/supervision-fixture.js";
import { expectTracesCommit } from "../helpers/supervision-trace.js";

const R = h("trace:reason");
const mined = async (tx: Promise<{ wait: () => Promise<unknown> }>) => {
  await (await tx).wait();
};

describe("Supervision trace", function () {
  it("every supervision write appends an entry committing to its event, and every action code 100..139 occurs", async function () {
    const fx = await supervisionFixture();
    const [holder, holder2] = [await fx.holder.getAddress(), await fx.holder2.getAddress()];
    // Configuration
    await mined(fx.reports.setTradeLookup(await fx.trades.getAddress()));
    await mined(fx.disputes.setAppealWindow(APPEAL_WINDOW));
    await mined(fx.severe.setThreshold(1));
    // Reports, sanctions
    await mined(fx.reports.connect(fx.processor2).file(keys.resource(1n), ReportCategory.IllegalTrading, h("e1")));
    await mined(fx.reports.connect(fx.regulator).fileConfidential(keys.consent(1n), ReportCategory.PrivacyComplaint, h("e2"), h("commitment")));
    await mined(fx.reports.connect(fx.regulator).investigate(1n, R));
    await mined(fx.sanctions.connect(fx.regulator).freeze(keys.product(1n), keys.report(1n), R));
    await mined(fx.sanctions.connect(fx.regulator).lift(1n, R));
    await mined(fx.sanctions.connect(fx.regulator).withdrawConsent(1n, 1, keys.report(2n), R));
    await mined(fx.reports.connect(fx.regulator).substantiate(1n, [1n], R));
    await mined(fx.reports.connect(fx.regulator).dismiss(2n, R));
    // Severe actions
    await mined(fx.severe.setThreshold(2));
    await mined(fx.severe.connect(fx.regulator).propose(SevereKind.ForcedExit, 1n, ZERO_ADDRESS, keys.report(1n), R));
    await mined(fx.severe.connect(fx.regulator).cancel(1n, R));
    await mined(fx.severe.connect(fx.regulator).propose(SevereKind.ExpelMember, 0n, await fx.processor3.getAddress(), keys.report(1n), R));
    await mined(fx.severe.connect(fx.arbiter).approve(2n));
    await mined(fx.severe.setThreshold(1));
    // Disputes: one withdrawn, one through appeal to execution
    await mined(fx.disputes.connect(fx.holder2).open(holder, [keys.grant(1n)], h("c0")));
    await mined(fx.disputes.connect(fx.holder2).withdraw(1n, R));
    await mined(fx.disputes.connect(fx.holder2).open(holder, [keys.resource(1n), keys.grant(1n)], h("c1")));
    await mined(fx.disputes.connect(fx.holder2).submitEvidence(2n, h("ev1"), "ipfs://ev1"));
    await mined(fx.disputes.connect(fx.holder).agreeArbiter(2n, await fx.arbiter.getAddress()));
    await mined(fx.disputes.connect(fx.holder2).agreeArbiter(2n, await fx.arbiter.getAddress()));
    await mined(fx.disputes.connect(fx.arbiter).rule(2n, h("r1"), [outcome(OutcomeKind.FreezeSubject, { subject: 0 })]));
    await mined(fx.disputes.connect(fx.holder).appeal(2n, h("grounds")));
    await mined(fx.disputes.assignArbiter(2n, await fx.arbiter2.getAddress()));
    const final = [
      outcome(OutcomeKind.TransferHolding, { subject: 0, beneficiary: holder2 }),
      outcome(OutcomeKind.RevokeGrant, { subject: 1 }),
      outcome(OutcomeKind.Compensation, { beneficiary: holder2, amount: 10n }),
    ];
    await mined(fx.disputes.connect(fx.arbiter2).rule(2n, h("r2"), final));
    await networkHelpers.time.increase(1);
    await mined(fx.disputes.connect(fx.holder2).execute(2n, final));

    const checked = await expectTracesCommit(fx);
    expect(checked).to.be.greaterThan(60);
    const sources = await Promise.all([fx.reports, fx.disputes, fx.sanctions, fx.severe, fx.resources].map(async (c) => ({ address: await c.getAddress(), iface: c.interface })));
    const seen = new Set(traceLogs(await collectLogs(ethers.provider, sources)).map((t) => t.entry.action));
    const expected = Object.keys(SUPERVISION_ACTION_EVENTS).map(Number).filter((a) => a >= 100);
    expect(expected.filter((a) => !seen.has(a)), "action codes never traced").to.deep.equal([]);
  });
});
