import { expect } from "chai";
import { AbiCoder, id, keccak256 } from "ethers";
import { drl, json, ok, refused, startLedger, type Run, type TestLedger } from "./harness.js";

/*
 * drl report / sanction / dispute / severe against anvil, as members use them: a report is investigated, a sanction
 * applied for it and the report substantiated naming it; a confidential report relayed with a commitment to its
 * reporter, then dismissed; a dispute with evidence from both parties, an arbiter assigned by governance, a ruling with an
 * interim freeze, an appeal before an arbiter both parties agree on, the appeal ruling and its execution (grant revoked,
 * compensation recorded); severe actions under a threshold of two. Refusals come back as the contracts' errors with a
 * sentence; bad usage exits 2 before touching the chain.
 */
describe("drl: supervision (report, sanction, dispute, severe)", function () {
  this.timeout(300_000);
  let L: TestLedger;
  const ks = (i: number) => ["--keystore", L.keystore(i)];
  const usage = (r: Run, message: RegExp): void => {
    expect(r.status, r.stdout + r.stderr).to.equal(2);
    expect(r.stderr).to.match(message);
  };
  type Write<R = Record<string, unknown>> = { command: string; result: R; tx: { hash: string }; events: { name: string }[] };

  before(async function () {
    L = await startLedger();
    // 0 governance, 1 holder, 2 regulator, 3 processor and operator, 4 and 5 arbiters.
    await L.admit(1, ["HOLDER"]);
    await L.admit(2, ["REGULATOR"]);
    await L.admit(3, ["PROCESSOR", "OPERATOR"]);
    await L.admit(4, ["ARBITER"]);
    await L.admit(5, ["ARBITER"]);
    // Resources 1 and 2 held by 1; grant 1 over resource 1 to 3.
    for (const name of ["berth schedules", "crane telemetry"]) {
      ok(await drl(L, ["resource", "register", "--kind", "data-set", "--category", "enterprise", "--grade", "general", "--domain", "port-logistics", "--catalogue", name, "--uri", `ipfs://${name.replace(" ", "-")}`, ...ks(1)]));
    }
    ok(await drl(L, ["grant", "issue", "--to", L.address(3), "--resource", "1", "--purposes", "0,1", "--until", "+200d", "--terms", "processing licence", ...ks(1)]));
  });
  after(async function () {
    await L?.stop();
  });

  it("bad usage exits 2 before touching the chain", async function () {
    const runs = await Promise.all([
      drl(undefined, ["report", "file", "resource:1", "--evidence", "x"]),
      drl(undefined, ["report", "file", "bucket:1", "--category", "other", "--evidence", "x"]),
      drl(undefined, ["report", "file-confidential", "resource:1", "--category", "other", "--evidence", "x", "--commitment", id("c"), "--reporter", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "--salt", "s"]),
      drl(undefined, ["sanction", "apply", "burn-resource", "1", "--cause", "report:1", "--reason", "x"]),
      drl(undefined, ["sanction", "apply", "freeze-grant", "1", "--cause", "grant:1", "--reason", "x"]),
      drl(undefined, ["dispute", "rule", "1", "--ruling", "r"]),
      drl(undefined, ["dispute", "rule", "1", "--ruling", "r", "--dismiss", "--compensate", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8:5"]),
      drl(undefined, ["dispute", "open", "--respondent", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "--claim", "c"]),
      drl(undefined, ["severe", "propose", "transfer", "2-0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "--cause", "report:1", "--reason", "x"]),
      drl(undefined, ["severe", "threshold", "set", "256"]),
    ]);
    const expected = [
      /--category is required/,
      /SUBJECT must be kind:id/,
      /give either --commitment, or --reporter and --salt, not both/,
      /expected freeze-resource, freeze-grant, freeze-product, suspend-member, withdraw-consent, got "burn-resource"/,
      /--cause must be a report or a dispute/,
      /a ruling needs outcomes/,
      /--dismiss is the whole ruling/,
      /give the dispute's subjects/,
      /RESOURCE:TO must be RESOURCE:TO/,
      /N must be between 0 and 255/,
    ];
    runs.forEach((r, i) => usage(r, expected[i]!));
  });

  it("report -> investigate -> sanction -> substantiate; a confidential report relayed, then dismissed; sanctions lifted", async function () {
    const filed = json<Write<{ reportId: string; subject: string; category: string }>>(ok(await drl(L, ["report", "file", "resource:2", "--category", "illegal-trading", "--evidence", "resale offer seen 2026-11-20", "--json", ...ks(3)])));
    expect(filed.command).to.equal("report file");
    expect(filed.tx.hash).to.match(/^0x[0-9a-f]{64}$/);
    expect(filed.result).to.deep.include({ reportId: "1", subject: "0x" + ((3n << 248n) | 2n).toString(16).padStart(64, "0"), category: "IllegalTrading" });

    const [notRegulator, early] = await Promise.all([
      drl(L, ["report", "investigate", "1", "--reason", "mine", ...ks(3)]),
      drl(L, ["report", "substantiate", "1", "--sanctions", "1", "--reason", "too soon", ...ks(2)]),
    ]);
    refused(notRegulator, "lacks the REGULATOR role", "MemberMissingRole");
    refused(early, "Report 1 is Received; this triage step does not apply.", "ReportInvalidStatus");
    expect(ok(await drl(L, ["report", "investigate", "1", "--reason", "case 2026/88 opened", ...ks(2)])).stdout).to.match(/^investigating report 1\ntx 0x[0-9a-f]{64} /);

    const applied = json<Write<{ sanctionId: string; kind: string; cause: string }>>(ok(await drl(L, ["sanction", "apply", "freeze-resource", "2", "--cause", "report:1", "--reason", "resale pending review", "--json", ...ks(2)])));
    expect(applied.result).to.deep.include({ sanctionId: "1", kind: "FreezeResource", cause: "0x" + ((9n << 248n) | 1n).toString(16).padStart(64, "0") });
    expect(applied.events.map((e) => e.name)).to.include.members(["SanctionApplied", "ResourceFrozen"]);
    expect(json<{ frozen: boolean }>(ok(await drl(L, ["resource", "show", "2", "--json"]))).frozen).to.equal(true);

    refused(await drl(L, ["report", "substantiate", "1", "--sanctions", "1,2", "--reason", "x", ...ks(2)]), "Sanction 2 does not exist or was not caused by report 1.", "ReportSanctionNotLinked");
    expect(ok(await drl(L, ["report", "substantiate", "1", "--sanctions", "1", "--reason", "resale confirmed", ...ks(2)])).stdout).to.match(/^substantiated report 1 with sanction 1\ntx 0x/);

    const [shown, shownHuman, sanction] = await Promise.all([drl(L, ["report", "show", "1", "--json"]), drl(L, ["report", "show", "1"]), drl(L, ["sanction", "show", "1", "--json"])]);
    const report = json<Record<string, unknown>>(ok(shown));
    expect(report).to.deep.include({ reportId: "1", subjectName: "resource 2", category: "IllegalTrading", status: "Substantiated", filer: L.address(3), confidential: false, commitment: null, evidenceHash: id("resale offer seen 2026-11-20"), sanctionIds: ["1"] });
    expect((report.history as { event: string }[]).map((h) => h.event)).to.deep.equal(["ReportFiled", "ReportInvestigating", "ReportSubstantiated"]);
    expect(ok(shownHuman).stdout).to.match(/subject\s+resource 2 \(0x03/);
    expect(json(ok(sanction))).to.deep.include({ sanctionId: "1", kind: "FreezeResource", subjectName: "resource 2", causeName: "report 1", appliedBy: L.address(2), lifted: false, lift: null });

    // A confidential report: relayed by the regulator with a commitment to reporter 4; an arbiter may not relay.
    const commitment = keccak256(AbiCoder.defaultAbiCoder().encode(["address", "bytes32"], [L.address(4), id("salt of 4")]));
    const [relayed, notRelay] = await Promise.all([
      drl(L, ["report", "file-confidential", "product:one", "--category", "data-leak", "--evidence", "leak", "--reporter", L.address(4), "--salt", "salt of 4", "--json", ...ks(2)]),
      drl(L, ["report", "file-confidential", "resource:1", "--category", "data-leak", "--evidence", "leak", "--commitment", commitment, ...ks(4)]),
    ]);
    usage(relayed, /SUBJECT \(product id\) must be a whole number/);
    refused(notRelay, `${L.address(4)} may not relay a confidential report: only a regulator or an operator may.`, "ReportNotRelay");
    const confidential = json<Write<{ reportId: string; commitment: string }>>(ok(await drl(L, ["report", "file-confidential", "resource:1", "--category", "data-leak", "--evidence", "leaked berth list", "--reporter", L.address(4), "--salt", "salt of 4", "--json", ...ks(2)])));
    expect(confidential.result).to.deep.include({ reportId: "2", commitment });
    expect(json(ok(await drl(L, ["report", "show", "2", "--json"])))).to.deep.include({ confidential: true, commitment, filer: L.address(2), status: "Received" });
    ok(await drl(L, ["report", "dismiss", "2", "--reason", "no leak found", ...ks(2)]));
    refused(await drl(L, ["sanction", "apply", "freeze-grant", "1", "--cause", "report:2", "--reason", "x", ...ks(2)]), "is not an existing report (not dismissed) or dispute (not withdrawn).", "SanctionInvalidCause");

    expect(ok(await drl(L, ["sanction", "lift", "1", "--reason", "resale stopped", ...ks(2)])).stdout).to.match(/^lifted sanction 1 on resource 2\ntx 0x/);
    refused(await drl(L, ["sanction", "lift", "1", "--reason", "again", ...ks(2)]), "Sanction 1 was lifted already", "SanctionNotLiftable");
    expect(json<{ frozen: boolean }>(ok(await drl(L, ["resource", "show", "2", "--json"]))).frozen).to.equal(false);
    refused(await drl(L, ["report", "show", "9"]), "Report 9 does not exist.", "ReportUnknown");
  });

  it("dispute -> evidence from both sides -> arbiter assigned -> ruling -> appeal -> appeal ruling -> execute", async function () {
    const opened = json<Write<{ disputeId: string; subjects: string[] }>>(
      ok(await drl(L, ["dispute", "open", "--respondent", L.address(3), "--subject", "grant:1", "--subject", "resource:1", "--claim", "use beyond purposes 0,1", "--json", ...ks(1)])),
    );
    expect(opened.result.disputeId).to.equal("1");
    expect(opened.result.subjects).to.have.length(2);

    ok(await drl(L, ["dispute", "evidence", "1", "--evidence", "claimant's access logs", "--uri", "ipfs://logs", ...ks(1)]));
    const [again, outsider] = await Promise.all([
      drl(L, ["dispute", "evidence", "1", "--evidence", "claimant's access logs", "--uri", "ipfs://logs-2", ...ks(3)]),
      drl(L, ["dispute", "evidence", "1", "--evidence", "hearsay", "--uri", "ipfs://x", ...ks(2)]),
    ]);
    refused(again, `Evidence ${id("claimant's access logs")} was submitted before`, "DisputeEvidenceUsed");
    refused(outsider, `${L.address(2)} is not a party to dispute 1.`, "DisputeNotParty");
    ok(await drl(L, ["dispute", "evidence", "1", "--evidence-hash", id("respondent's processing records"), "--uri", "ipfs://records", ...ks(3)]));

    refused(await drl(L, ["dispute", "assign-arbiter", "1", L.address(3), ...ks(0)]), `${L.address(3)} cannot arbitrate dispute 1`, "DisputeIneligibleArbiter");
    expect(ok(await drl(L, ["dispute", "assign-arbiter", "1", L.address(4), ...ks(0)])).stdout).to.match(new RegExp(`^${L.address(4)} is the arbiter of dispute 1 for the first instance\\n`));

    const [notArbiter, notSubject] = await Promise.all([
      drl(L, ["dispute", "rule", "1", "--ruling", "r", "--dismiss", ...ks(5)]),
      drl(L, ["dispute", "rule", "1", "--ruling", "r", "--freeze", "product:9", ...ks(4)]),
    ]);
    refused(notArbiter, `${L.address(5)} is not the arbiter of dispute 1 at this instance.`, "DisputeNotArbiter");
    usage(notSubject, /--freeze: product 9 is not one of the dispute's subjects \(grant 1, resource 1\)/);

    // First ruling: freeze grant 1 (interim, at once) and compensation of 500 to the claimant.
    const ruled = ok(await drl(L, ["dispute", "rule", "1", "--ruling", "first instance ruling", "--freeze", "grant:1", "--compensate", `${L.address(1)}:500`, ...ks(4)]));
    expect(ruled.stdout).to.match(/^recorded the ruling of dispute 1; appeal until .*:\n   freeze grant 1\n   compensate 0x[0-9a-fA-F]{40} with 500\n   frozen now: grant 1\ntx 0x/);
    expect(json<{ frozen: boolean }>(ok(await drl(L, ["grant", "show", "1", "--json"]))).frozen).to.equal(true);
    refused(await drl(L, ["dispute", "execute", "1", ...ks(1)]), "The ruling of dispute 1 is not final yet", "DisputeNotFinal");

    ok(await drl(L, ["dispute", "appeal", "1", "--grounds", "the logs predate the grant", ...ks(3)]));
    refused(await drl(L, ["dispute", "appeal", "1", "--grounds", "twice", ...ks(1)]), "Dispute 1 is Appealed; this step does not apply.", "DisputeInvalidStatus");
    // The appeal arbiter: both parties propose 5 (the first instance's arbiter may not).
    refused(await drl(L, ["dispute", "propose-arbiter", "1", L.address(4), ...ks(1)]), `${L.address(4)} cannot arbitrate dispute 1`, "DisputeIneligibleArbiter");
    expect(ok(await drl(L, ["dispute", "propose-arbiter", "1", L.address(5), ...ks(1)])).stdout).to.match(/^proposed 0x[0-9a-fA-F]{40} as arbiter of dispute 1 for the appeal; assigned once the other party proposes the same\n/);
    const agreed = json<Write<{ assigned: boolean; appeal: boolean }>>(ok(await drl(L, ["dispute", "propose-arbiter", "1", L.address(5), "--json", ...ks(3)])));
    expect(agreed.result).to.deep.include({ assigned: true, appeal: true });

    // Appeal ruling (final at once): revoke grant 1, compensation of 300; the interim freeze it does not repeat is lifted.
    const appealRuling = json<Write<{ appeal: boolean; lifted: string[]; outcomes: { kind: string; text: string }[] }>>(
      ok(await drl(L, ["dispute", "rule", "1", "--ruling", "appeal ruling", "--revoke-grant", "1", "--compensate", `${L.address(1)}:300`, "--json", ...ks(5)])),
    );
    expect(appealRuling.result.appeal).to.equal(true);
    expect(appealRuling.result.lifted).to.have.length(1);
    expect(appealRuling.result.outcomes.map((o) => o.text)).to.deep.equal(["revoke grant 1", `compensate ${L.address(1)} with 300`]);

    const executed = json<Write<{ revokedGrantIds: string[]; compensations: { beneficiary: string; payer: string; amount: string }[] }>>(ok(await drl(L, ["dispute", "execute", "1", "--json", ...ks(1)])));
    expect(executed.result.revokedGrantIds).to.deep.equal(["1"]);
    expect(executed.result.compensations).to.deep.equal([{ payer: L.address(3), beneficiary: L.address(1), amount: "300" }]);
    const grant = json<{ revoked: boolean; frozen: boolean }>(ok(await drl(L, ["grant", "show", "1", "--json"])));
    expect(grant).to.deep.include({ revoked: true, frozen: false });
    refused(await drl(L, ["dispute", "execute", "1", ...ks(1)]), "Dispute 1 is Executed; this step does not apply.", "DisputeInvalidStatus");

    const [shownJson, shownHuman] = await Promise.all([drl(L, ["dispute", "show", "1", "--json"]), drl(L, ["dispute", "show", "1"])]);
    const d = json<Record<string, unknown>>(ok(shownJson));
    expect(d).to.deep.include({ disputeId: "1", status: "Executed", final: true, claimant: L.address(1), respondent: L.address(3), arbiter: L.address(4), appealArbiter: L.address(5), frozen: [] });
    expect((d.evidence as unknown[]).length).to.equal(2);
    expect((d.rulings as { appeal: boolean }[]).map((r) => r.appeal)).to.deep.equal([false, true]);
    expect(ok(shownHuman).stdout).to.contain(`${L.address(1)} is owed 300 by ${L.address(3)} (compensation)`);

    // A second dispute, withdrawn by its claimant only.
    ok(await drl(L, ["dispute", "open", "--respondent", L.address(1), "--subject", "resource:2", "--claim", "holding contested", ...ks(3)]));
    refused(await drl(L, ["dispute", "withdraw", "2", "--reason", "not mine", ...ks(1)]), `${L.address(1)} is not the claimant of dispute 2.`, "DisputeNotClaimant");
    expect(ok(await drl(L, ["dispute", "withdraw", "2", "--reason", "settled", ...ks(3)])).stdout).to.match(/^withdrew dispute 2\n/);

    // Governance's appeal window for rulings from now on.
    const [notGovernance, tooLong] = await Promise.all([drl(L, ["dispute", "appeal-window", "set", "3d", ...ks(2)]), drl(L, ["dispute", "appeal-window", "set", "181d", ...ks(0)])]);
    refused(notGovernance, "lacks the GOVERNANCE role", "MemberMissingRole");
    refused(tooLong, "An appeal window of", "DisputeInvalidAppealWindow");
    expect(ok(await drl(L, ["dispute", "appeal-window", "set", "3d", ...ks(0)])).stdout).to.match(/^rulings recorded from now on may be appealed for \S/);
  });

  it("severe actions: a threshold of two, a proposal cancelled, an expulsion carried out by the second approval", async function () {
    refused(await drl(L, ["severe", "threshold", "set", "2", ...ks(2)]), "lacks the GOVERNANCE role", "MemberMissingRole");
    expect(ok(await drl(L, ["severe", "threshold", "set", "2", ...ks(0)])).stdout).to.match(/^severe actions proposed from now on need 2 approvals\n/);

    const transfer = json<Write<{ proposalId: string; kind: string; threshold: number; executed: boolean }>>(
      ok(await drl(L, ["severe", "propose", "transfer", `2:${L.address(3)}`, "--cause", "report:1", "--reason", "holding right by order", "--json", ...ks(2)])),
    );
    expect(transfer.result).to.deep.include({ proposalId: "1", kind: "TransferHolding", threshold: 2, executed: false });
    const [notCanceller, notApprover] = await Promise.all([drl(L, ["severe", "cancel", "1", "--reason", "x", ...ks(4)]), drl(L, ["severe", "approve", "1", ...ks(3)])]);
    refused(notCanceller, `${L.address(4)} may not cancel proposal 1: only its proposer or governance may.`, "SevereNotCanceller");
    refused(notApprover, `${L.address(3)} may not propose or approve severe actions`, "SevereNotApprover");
    ok(await drl(L, ["severe", "cancel", "1", "--reason", "ordered by the dispute instead", ...ks(0)]));

    const expel = ok(await drl(L, ["severe", "propose", "expel", L.address(5), "--cause", "dispute:1", "--reason", "arbiter misconduct", ...ks(2)]));
    expect(expel.stdout).to.match(new RegExp(`^proposed 2: expel member ${L.address(5)}, caused by dispute 1; pending, 1 of 2 approvals\\n`));
    refused(await drl(L, ["severe", "approve", "2", ...ks(2)]), `${L.address(2)} approved proposal 2 already`, "SevereAlreadyApproved");
    const approved = json<Write<{ executed: boolean; approvals: string }>>(ok(await drl(L, ["severe", "approve", "2", "--json", ...ks(4)])));
    expect(approved.result).to.deep.include({ executed: true, approvals: 2, threshold: 2 });
    expect(approved.events.map((e) => e.name)).to.include.members(["SevereApproved", "SevereExecuted"]);
    refused(await drl(L, ["severe", "approve", "2", ...ks(2)]), "Proposal 2 is Executed, not pending.", "SevereNotPending");

    const [one, two, member] = await Promise.all([drl(L, ["severe", "show", "1", "--json"]), drl(L, ["severe", "show", "2", "--json"]), drl(L, ["member", "show", L.address(5), "--json"])]);
    expect(json(ok(one))).to.deep.include({ status: "Cancelled", kind: "TransferHolding", targetId: "2", account: L.address(3), causeName: "report 1" });
    expect(json(ok(two))).to.deep.include({ status: "Executed", kind: "ExpelMember", approvals: 2, threshold: 2, approvers: [L.address(2), L.address(4)] });
    expect(json<{ status: string }>(ok(member)).status).to.not.equal("Active");
  });
});
