import { expect } from "chai";
import { LEDGER_INTERFACES, deployedContracts } from "../../src/chain/contracts.js";
import type { RawLog } from "../../src/chain/decoder.js";
import { canonicalJson } from "../../src/evidence/canonical.js";
import { decodeWithPayload, slowDecode } from "../../src/evidence/payload.js";
import { ledgerFixture, provider } from "../helpers/fixtures.js";
import { deploymentOf, runCoreScenario } from "../helpers/scenario.js";

describe("fast ABI codec (evidence)", function () {
  it("agrees with ethers' coder on every ledger event: arguments, canonical form and payload hash", async function () {
    const fx = await ledgerFixture();
    await runCoreScenario(fx);
    const d = await deploymentOf(fx);
    const deployed = deployedContracts(d);
    const logs = (await provider.request({ method: "eth_getLogs", params: [{ address: deployed.map(([, a]) => a), fromBlock: "0x0", toBlock: "latest" }] })) as RawLog[];
    const byAddress = new Map(deployed.map(([n, a]) => [a.toLowerCase(), n]));
    const names = new Set<string>();
    for (const log of logs) {
      const contract = byAddress.get(log.address.toLowerCase())!;
      const fast = decodeWithPayload(contract, log.topics, log.data)!;
      const slow = slowDecode(LEDGER_INTERFACES[contract], log.topics, log.data)!;
      expect(fast.name).to.equal(slow.name);
      expect(canonicalJson(fast.args), fast.name).to.equal(canonicalJson(slow.args));
      expect(fast.payloadHash, fast.name).to.equal(slow.payloadHash);
      expect(fast.canonical).to.equal(true);
      // A byte of padding changed: same values, no longer canonical, caught by both.
      if (log.data.length > 2) {
        const padded = log.data.slice(0, 4) + (log.data[4] === "f" ? "e" : "f") + log.data.slice(5);
        const f2 = decodeWithPayload(contract, log.topics, padded);
        const s2 = slowDecode(LEDGER_INTERFACES[contract], log.topics, padded);
        expect(f2?.canonical === true && f2.payloadHash === fast.payloadHash, `${fast.name}: padding tamper`).to.equal(s2?.canonical === true && s2.payloadHash === fast.payloadHash);
      }
      names.add(fast.name);
    }
    expect(names.size).to.be.greaterThan(15);
  });
});
