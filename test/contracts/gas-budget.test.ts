import { expect } from "chai";
import { ethers } from "../helpers/fixtures.js";
import { measureCoreGas, EAS_ATTEST_ANCHOR } from "../../scripts/gas/scenario.js";

// Gas is deterministic for a given compiler profile, so budgets can be asserted. The figures in the README come
// from `npm run gas` (production profile, viaIR); this runs the same scenario under the test profile, which
// costs a few thousand gas more per write, and holds each write to its budget.
describe("Gas budgets", function () {
  it("keeps every core write within its budget and below an EAS attest", async function () {
    const rows = await measureCoreGas(ethers);
    expect(rows.length).to.be.greaterThan(10);
    for (const row of rows) {
      expect(row.gas, `${row.op}: ${row.gas} gas`).to.be.at.most(row.budget);
      if (row.aboveAnchor === undefined) expect(row.gas, `${row.op} above the EAS anchor`).to.be.at.most(EAS_ATTEST_ANCHOR);
    }
  });
});
