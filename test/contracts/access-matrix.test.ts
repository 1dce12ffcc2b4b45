import { expect } from "chai";
import { getAddress } from "ethers";
import { ledgerFixture } from "../helpers/fixtures.js";
import {
  ACCESS_ERRORS,
  ACCESS_MATRIX,
  TARGETS,
  TARGET_KEYS,
  callerOf,
  cellsOf,
  coverageOf,
  decodeRevert,
  revertDataOf,
  rowTitle,
  writeSignatures,
  type CallContext,
  type Cell,
} from "../helpers/access-matrix.js";

const isAccessError = (name: string): boolean => (ACCESS_ERRORS as readonly string[]).includes(name);

/** Runs one cell on a fresh fixture: an allowed caller must get through, a refused one must hit its access error. */
async function runCell(cell: Cell): Promise<void> {
  const { row } = cell;
  const fx = await ledgerFixture();
  await row.setup?.(fx);
  const caller = callerOf(fx, cell);
  const ctx: CallContext = { fx, column: cell.column, owner: cell.owner, caller, callerAddress: await caller.getAddress() };
  const { to, data } = await row.call(ctx);

  // The row's call must be the row's function on the row's contract.
  expect(getAddress(to)).to.equal(await fx[row.target].getAddress());
  expect(TARGETS[row.target].iface.parseTransaction({ data })?.signature).to.equal(row.signature);

  if (cell.allowed) {
    try {
      await (await caller.sendTransaction({ to, data })).wait();
    } catch (e) {
      const raw = revertDataOf(e);
      const decoded = raw === undefined ? undefined : decodeRevert(raw);
      const shown = decoded === undefined ? String(e) : `${decoded.name}(${decoded.args.map(String).join(", ")})`;
      if (decoded !== undefined && isAccessError(decoded.name)) expect.fail(`${cell.column} is allowed but hit access error ${shown}`);
      if (row.allowedOutcome !== "no-access-error") expect.fail(`${cell.column} is allowed but the call reverted: ${shown}`);
    }
  } else {
    const denial = cell.denial!;
    await expect(caller.sendTransaction({ to, data }))
      .to.be.revertedWithCustomError(fx[denial.in], denial.name)
      .withArgs(...denial.args(ctx));
  }
}

describe("Access matrix", function () {
  let cells = 0;
  let rows = 0;

  for (const target of TARGET_KEYS) {
    const { name, iface } = TARGETS[target];

    describe(name, function () {
      it("has a row for every write function of the ABI, and none for a function it lacks", async function () {
        const fx = await ledgerFixture();
        const deployed = fx[target].interface;
        // The typechain interface the rows are built from is the deployed contract's.
        expect(writeSignatures(deployed)).to.deep.equal(writeSignatures(iface));
        const { missing, stale } = coverageOf(target, deployed);
        expect(missing, `write functions of ${name} without an access-matrix row: ${missing.join(", ")}`).to.deep.equal([]);
        expect(stale, `access-matrix rows for functions ${name} does not have: ${stale.join(", ")}`).to.deep.equal([]);
      });

      for (const row of ACCESS_MATRIX.filter((r) => r.target === target)) {
        rows += 1;
        describe(rowTitle(row), function () {
          for (const cell of cellsOf(row)) {
            cells += 1;
            it(cell.title, async function () {
              await runCell(cell);
            });
          }
        });
      }
    });
  }

  after(function () {
    console.log(`\n    access matrix: ${cells} cells in ${rows} rows over ${TARGET_KEYS.length} contracts`);
  });
});
