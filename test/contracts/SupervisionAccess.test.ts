import { expect } from "chai";
import { FunctionFragment, type BaseContract, type ContractTransaction, type Interface, type Signer } from "ethers";
import { h, networkHelpers, ROLES, type RoleName } from "../helpers/fixtures.js";
import { MemberStatus } from "../helpers/enums.js";
import { decodeRevert as decodeLedgerRevert, revertDataOf } from "../helpers/access-matrix.js";
import {
  APPEAL_WINDOW,
  OutcomeKind,
  ReportCategory,
  SevereKind,
  ZERO_ADDRESS,
  keys,
  outcome,
  supervisionFixture,
  type SupervisionFixture,
} from "../helpers/supervision-fixture.js";

/*
 * The access matrix of the supervision contracts: every write function x every column (the seven roles, a
 * never-admitted outsider, a suspended member holding every role but GOVERNANCE). A row lists the role columns that
 * may call and builds valid arguments; a refused cell must hit the row's access error with its arguments, an allowed
 * cell must succeed (or, for once-only wiring already done by the fixture, fail with anything but an access error).
 * Dispute parties: HOLDER is the claimant, holder2 (no column) the respondent; the arbiter column is the assigned one.
 */

const COLUMNS = ["GOVERNANCE", "REGULATOR", "HOLDER", "PROCESSOR", "OPERATOR", "CERTIFIER", "ARBITER", "outsider", "suspended"] as const;
type Column = (typeof COLUMNS)[number];
const ACCOUNT: Record<Column, keyof SupervisionFixture> = {
  GOVERNANCE: "gov",
  REGULATOR: "regulator",
  HOLDER: "holder",
  PROCESSOR: "processor",
  OPERATOR: "operator",
  CERTIFIER: "certifier",
  ARBITER: "arbiter",
  outsider: "outsider",
  suspended: "suspended",
};
type Target = "reports" | "disputes" | "sanctions" | "severe";
const TARGETS: readonly Target[] = ["reports", "disputes", "sanctions", "severe"];
const ACCESS_ERRORS = [
  "MemberNotActive",
  "MemberMissingRole",
  "ReportNotRelay",
  "DisputeNotParty",
  "DisputeNotClaimant",
  "DisputeNotArbiter",
  "SevereNotApprover",
  "SevereNotCanceller",
  "SevereNotDisputeRegistry",
];

interface Denial {
  in: keyof SupervisionFixture;
  name: string;
  args: (caller: string) => unknown[];
}
interface Row {
  target: Target;
  signature: string;
  allowed: readonly RoleName[];
  /** The role a non-allowed active member is refused for, when the refusal is MemberMissingRole. */
  gate?: RoleName;
  /** The refusal of a non-allowed active member, when it is not MemberMissingRole(gate). */
  refused?: Denial;
  /** The refusal of outsider and suspended, when it is not the member registry's MemberNotActive. */
  refusedInactive?: Denial;
  setup?: (fx: SupervisionFixture) => Promise<void>;
  call: (fx: SupervisionFixture, caller: string) => Promise<ContractTransaction>;
  allowedOutcome?: "success" | "no-access-error";
}

const REASON = h("matrix:reason");
const mined = async (tx: Promise<{ wait: () => Promise<unknown> }>) => {
  await (await tx).wait();
};
const missingRole = (role: RoleName): Denial => ({ in: "members", name: "MemberMissingRole", args: (c) => [c, ROLES[role]] });
const inDisputes = (name: string, withId = true): Denial => ({ in: "disputes", name, args: (c) => (withId ? [1n, c] : [c]) });
const inSevere = (name: string, withId = false): Denial => ({ in: "severe", name, args: (c) => (withId ? [1n, c] : [c]) });
const ALL_ROLES: readonly RoleName[] = ["GOVERNANCE", "REGULATOR", "HOLDER", "PROCESSOR", "OPERATOR", "CERTIFIER", "ARBITER"];

const fileReport = (fx: SupervisionFixture) => mined(fx.reports.connect(fx.processor2).file(keys.resource(1n), ReportCategory.IllegalTrading, h("matrix:evidence")));
const openDispute = async (fx: SupervisionFixture) => mined(fx.disputes.connect(fx.holder).open(await fx.holder2.getAddress(), [keys.resource(1n), keys.grant(1n)], h("matrix:claim")));
const ruledDispute = async (fx: SupervisionFixture) => {
  await openDispute(fx);
  await mined(fx.disputes.assignArbiter(1n, await fx.arbiter.getAddress()));
  await mined(fx.disputes.connect(fx.arbiter).rule(1n, h("matrix:ruling"), [outcome(OutcomeKind.Dismiss)]));
};
/** A proposal pending at threshold 2, made by `by` (regulator2 by default, so that no column has approved it). */
const pendingProposal = (by: "regulator" | "regulator2" = "regulator2") => async (fx: SupervisionFixture) => {
  await fileReport(fx);
  await mined(fx.severe.setThreshold(2));
  await mined(fx.severe.connect(fx[by]).propose(SevereKind.ForcedExit, 1n, ZERO_ADDRESS, keys.report(1n), REASON));
};

const ROWS: readonly Row[] = [
  // ReportRegistry
  { target: "reports", signature: "file(bytes32,uint16,bytes32)", allowed: ALL_ROLES, call: (fx) => fx.reports.file.populateTransaction(keys.resource(1n), 2, h("e")) },
  {
    target: "reports",
    signature: "fileConfidential(bytes32,uint16,bytes32,bytes32)",
    allowed: ["REGULATOR", "OPERATOR"],
    refused: { in: "reports", name: "ReportNotRelay", args: (c) => [c] },
    call: (fx) => fx.reports.fileConfidential.populateTransaction(keys.resource(1n), 2, h("e"), h("commitment")),
  },
  { target: "reports", signature: "investigate(uint64,bytes32)", allowed: ["REGULATOR"], setup: fileReport, call: (fx) => fx.reports.investigate.populateTransaction(1n, REASON) },
  {
    target: "reports",
    signature: "substantiate(uint64,uint64[],bytes32)",
    allowed: ["REGULATOR"],
    setup: async (fx) => {
      await fileReport(fx);
      await mined(fx.reports.connect(fx.regulator2).investigate(1n, REASON));
      await mined(fx.sanctions.connect(fx.regulator2).freeze(keys.resource(1n), keys.report(1n), REASON));
    },
    call: (fx) => fx.reports.substantiate.populateTransaction(1n, [1n], REASON),
  },
  { target: "reports", signature: "dismiss(uint64,bytes32)", allowed: ["REGULATOR"], setup: fileReport, call: (fx) => fx.reports.dismiss.populateTransaction(1n, REASON) },
  {
    target: "reports",
    signature: "setSanctions(address)",
    allowed: ["GOVERNANCE"],
    allowedOutcome: "no-access-error", // wired by the fixture: governance gets ReportSanctionsAlreadySet
    call: async (fx) => fx.reports.setSanctions.populateTransaction(await fx.sanctions.getAddress()),
  },
  { target: "reports", signature: "setTradeLookup(address)", allowed: ["GOVERNANCE"], call: async (fx) => fx.reports.setTradeLookup.populateTransaction(await fx.trades.getAddress()) },
  // DisputeRegistry
  { target: "disputes", signature: "open(address,bytes32[],bytes32)", allowed: ALL_ROLES, call: async (fx) => fx.disputes.open.populateTransaction(await fx.holder2.getAddress(), [keys.resource(1n)], h("c")) },
  {
    target: "disputes",
    signature: "submitEvidence(uint64,bytes32,string)",
    allowed: ["HOLDER"],
    refused: inDisputes("DisputeNotParty"),
    setup: openDispute,
    call: (fx) => fx.disputes.submitEvidence.populateTransaction(1n, h("matrix:ev"), "ipfs://ev"),
  },
  { target: "disputes", signature: "assignArbiter(uint64,address)", allowed: ["GOVERNANCE"], setup: openDispute, call: async (fx) => fx.disputes.assignArbiter.populateTransaction(1n, await fx.arbiter.getAddress()) },
  {
    target: "disputes",
    signature: "agreeArbiter(uint64,address)",
    allowed: ["HOLDER"],
    refused: inDisputes("DisputeNotParty"),
    setup: openDispute,
    call: async (fx) => fx.disputes.agreeArbiter.populateTransaction(1n, await fx.arbiter.getAddress()),
  },
  {
    target: "disputes",
    signature: "rule(uint64,bytes32,(uint8,uint8,address,uint128)[])",
    allowed: ["ARBITER"],
    setup: async (fx) => {
      await openDispute(fx);
      await mined(fx.disputes.assignArbiter(1n, await fx.arbiter.getAddress()));
    },
    call: (fx) => fx.disputes.rule.populateTransaction(1n, h("r"), [outcome(OutcomeKind.Dismiss)]),
  },
  {
    target: "disputes",
    signature: "appeal(uint64,bytes32)",
    allowed: ["HOLDER"],
    refused: inDisputes("DisputeNotParty"),
    setup: ruledDispute,
    call: (fx) => fx.disputes.appeal.populateTransaction(1n, h("grounds")),
  },
  {
    target: "disputes",
    signature: "execute(uint64,(uint8,uint8,address,uint128)[])",
    allowed: ALL_ROLES,
    setup: async (fx) => {
      await ruledDispute(fx);
      await networkHelpers.time.increase(APPEAL_WINDOW);
    },
    call: (fx) => fx.disputes.execute.populateTransaction(1n, [outcome(OutcomeKind.Dismiss)]),
  },
  {
    target: "disputes",
    signature: "withdraw(uint64,bytes32)",
    allowed: ["HOLDER"],
    refused: inDisputes("DisputeNotClaimant"),
    setup: openDispute,
    call: (fx) => fx.disputes.withdraw.populateTransaction(1n, REASON),
  },
  { target: "disputes", signature: "setAppealWindow(uint40)", allowed: ["GOVERNANCE"], call: (fx) => fx.disputes.setAppealWindow.populateTransaction(3600) },
  { target: "disputes", signature: "setTradeLookup(address)", allowed: ["GOVERNANCE"], call: async (fx) => fx.disputes.setTradeLookup.populateTransaction(await fx.trades.getAddress()) },
  // Sanctions
  { target: "sanctions", signature: "freeze(bytes32,bytes32,bytes32)", allowed: ["REGULATOR"], setup: fileReport, call: (fx) => fx.sanctions.freeze.populateTransaction(keys.resource(1n), keys.report(1n), REASON) },
  {
    target: "sanctions",
    signature: "withdrawConsent(uint64,uint32,bytes32,bytes32)",
    allowed: ["REGULATOR"],
    setup: fileReport,
    call: (fx) => fx.sanctions.withdrawConsent.populateTransaction(1n, 1, keys.report(1n), REASON),
  },
  {
    target: "sanctions",
    signature: "lift(uint64,bytes32)",
    allowed: ["REGULATOR"],
    setup: async (fx) => {
      await fileReport(fx);
      await mined(fx.sanctions.connect(fx.regulator2).freeze(keys.resource(1n), keys.report(1n), REASON));
    },
    call: (fx) => fx.sanctions.lift.populateTransaction(1n, REASON),
  },
  // SevereActions
  {
    target: "severe",
    signature: "propose(uint8,uint64,address,bytes32,bytes32)",
    allowed: ["REGULATOR", "ARBITER"],
    refused: inSevere("SevereNotApprover"),
    setup: fileReport,
    call: (fx) => fx.severe.propose.populateTransaction(SevereKind.ForcedExit, 1n, ZERO_ADDRESS, keys.report(1n), REASON),
  },
  {
    target: "severe",
    signature: "proposeByRuling(uint64,address,bytes32,bytes32,address)",
    allowed: [],
    refused: inSevere("SevereNotDisputeRegistry"),
    refusedInactive: inSevere("SevereNotDisputeRegistry"),
    call: async (fx) => fx.severe.proposeByRuling.populateTransaction(1n, await fx.holder2.getAddress(), keys.dispute(1n), REASON, await fx.arbiter.getAddress()),
  },
  { target: "severe", signature: "approve(uint64)", allowed: ["REGULATOR", "ARBITER"], refused: inSevere("SevereNotApprover"), setup: pendingProposal(), call: (fx) => fx.severe.approve.populateTransaction(1n) },
  {
    target: "severe",
    signature: "cancel(uint64,bytes32)",
    allowed: ["GOVERNANCE", "REGULATOR"], // REGULATOR is the proposer here
    refused: inSevere("SevereNotCanceller", true),
    setup: pendingProposal("regulator"),
    call: (fx) => fx.severe.cancel.populateTransaction(1n, REASON),
  },
  { target: "severe", signature: "setThreshold(uint8)", allowed: ["GOVERNANCE"], call: (fx) => fx.severe.setThreshold.populateTransaction(2) },
  {
    target: "severe",
    signature: "setDisputeRegistry(address)",
    allowed: ["GOVERNANCE"],
    allowedOutcome: "no-access-error", // wired by the fixture
    call: async (fx) => fx.severe.setDisputeRegistry.populateTransaction(await fx.disputes.getAddress()),
  },
];

function writeSignatures(iface: Interface): string[] {
  return iface.fragments
    .filter((f): f is FunctionFragment => FunctionFragment.isFragment(f))
    .filter((f) => f.stateMutability !== "view" && f.stateMutability !== "pure")
    .map((f) => f.format("sighash"))
    .sort();
}

function denialOf(row: Row, column: Column): Denial {
  if (column === "outsider" || column === "suspended") {
    if (row.refusedInactive !== undefined) return row.refusedInactive;
    const status = column === "outsider" ? MemberStatus.None : MemberStatus.Suspended;
    return { in: "members", name: "MemberNotActive", args: (c) => [c, status] };
  }
  return row.refused ?? missingRole(row.gate ?? row.allowed[0]!);
}

function decode(fx: SupervisionFixture, e: unknown): { name: string; args: readonly unknown[] } | undefined {
  const data = revertDataOf(e);
  if (data === undefined) return undefined;
  for (const c of [fx.reports, fx.disputes, fx.sanctions, fx.severe] as BaseContract[]) {
    const parsed = c.interface.parseError(data);
    if (parsed !== null) return { name: parsed.name, args: [...parsed.args] };
  }
  return decodeLedgerRevert(data);
}

describe("Supervision access matrix", function () {
  let cells = 0;
  for (const target of TARGETS) {
    describe(target, function () {
      it("has a row for every write function of the ABI and none for a function it lacks", async function () {
        const fx = await supervisionFixture();
        const writes = writeSignatures(fx[target].interface);
        const rows = ROWS.filter((r) => r.target === target).map((r) => r.signature).sort();
        expect(rows).to.deep.equal(writes);
      });
      for (const row of ROWS.filter((r) => r.target === target)) {
        describe(row.signature, function () {
          for (const column of COLUMNS) {
            const allowed = column !== "outsider" && column !== "suspended" && row.allowed.includes(column);
            cells += 1;
            it(allowed ? `lets ${column} call` : `refuses ${column} with ${denialOf(row, column).name}`, async function () {
              const fx = await supervisionFixture();
              await row.setup?.(fx);
              const caller = fx[ACCOUNT[column]] as Signer;
              const callerAddress = await caller.getAddress();
              const { to, data } = await row.call(fx, callerAddress);
              expect(to).to.equal(await fx[target].getAddress());
              if (allowed) {
                try {
                  await (await caller.sendTransaction({ to, data })).wait();
                } catch (e) {
                  const d = decode(fx, e);
                  if (d !== undefined && ACCESS_ERRORS.includes(d.name)) expect.fail(`${column} is allowed but hit ${d.name}`);
                  if (row.allowedOutcome !== "no-access-error") expect.fail(`${column} is allowed but the call reverted: ${d?.name ?? String(e)}`);
                }
              } else {
                const denial = denialOf(row, column);
                await expect(caller.sendTransaction({ to, data }))
                  .to.be.revertedWithCustomError(fx[denial.in] as BaseContract, denial.name)
                  .withArgs(...denial.args(callerAddress));
              }
            });
          }
        });
      }
    });
  }
  after(function () {
    console.log(`\n    supervision access matrix: ${cells} cells in ${ROWS.length} rows over ${TARGETS.length} contracts`);
  });
});
