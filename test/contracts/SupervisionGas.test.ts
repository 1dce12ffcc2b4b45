import { expect } from "chai";
import { ethers } from "../helpers/fixtures.js";
import { measureSupervisionGas } from "../../scripts/gas/supervision.js";
import { EAS_ATTEST_ANCHOR } from "../../scripts/gas/scenario.js";

// Runs the supervision gas scenario (every new write once) under the test profile and holds every write below the EAS
// attest anchor, the ledger's ceiling for one write. The figures reported come from the production profile.
describe("Supervision gas", function () {
  it("performs every supervision write, each below an EAS attest", async function () {
    const rows = await measureSupervisionGas(ethers);
    expect(rows.length).to.be.greaterThan(30);
    for (const row of rows) expect(row.gas, `${row.op}: ${row.gas} gas`).to.be.at.most(EAS_ATTEST_ANCHOR);
    if (process.env.DRL_PRINT_GAS !== undefined) for (const r of rows) console.log(`${r.op}\t${r.gas}`);
  });
});
