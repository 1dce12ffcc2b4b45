import { expect } from "chai";
import { Result } from "ethers";
import { LEDGER_INTERFACES, deployedContracts } from "../../src/chain/contracts.js";
import { createDecoder, type RawLog } from "../../src/chain/decoder.js";
import { ledgerFixture, provider } from "../helpers/fixtures.js";
import { deploymentOf, runCoreScenario } from "../helpers/scenario.js";

/** A plain, comparable form of decoded values: bigints as strings, structs as [tuple, named fields]. */
function plain(v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  if (v instanceof Result) {
    // A struct has named fields; an array (e.g. uint64[]) has none (ethers names its items "_").
    // An array of structs has no item names at all: toObject() throws on two or more items.
    let named: string[] = [];
    try {
      named = Object.keys(v.toObject()).filter((k) => !/^_\d*$/.test(k));
    } catch {
      named = [];
    }
    return named.length > 0 ? Object.fromEntries(Object.entries(v.toObject()).map(([k, x]) => [k, plain(x)])) : v.toArray().map(plain);
  }
  if (Array.isArray(v)) {
    const named = Object.fromEntries(Object.entries(v).filter(([k]) => !/^\d+$/.test(k)).map(([k, x]) => [k, plain(x)]));
    return Object.keys(named).length > 0 ? named : v.map(plain);
  }
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

describe("createDecoder", function () {
  it("decodes every ledger event exactly as ethers' ABI coder does", async function () {
    const fx = await ledgerFixture();
    await runCoreScenario(fx);
    const deployment = await deploymentOf(fx);
    const decode = createDecoder(LEDGER_INTERFACES, deployment.addresses);
    const logs = (await provider.request({
      method: "eth_getLogs",
      params: [{ address: deployedContracts(deployment).map(([, a]) => a), fromBlock: "0x0", toBlock: "latest" }],
    })) as RawLog[];
    const seen = new Set<string>();
    for (const log of logs) {
      const ours = decode(log);
      const iface = LEDGER_INTERFACES[ours.contract];
      const theirs = iface.parseLog({ topics: [...log.topics], data: log.data })!;
      expect(ours.name).to.equal(theirs.name);
      expect(plain(ours.args), `${ours.name} at ${log.transactionHash}#${Number(log.logIndex)}`).to.deep.equal(plain(theirs.args));
      seen.add(ours.name);
    }
    // The scenario exercises most of the ABI; the fixed-layout path must have met structs, strings and bools.
    for (const name of ["GrantIssued", "ResourceRegistered", "ObjectionResolved", "TraceRecorded", "RoleGranted", "MemberSuspended"]) {
      expect(seen.has(name), name).to.equal(true);
    }
    expect(seen.size).to.be.greaterThan(15);
  });

  it("decodes an array of structs with several items (a product over two inputs)", async function () {
    const fx = await ledgerFixture();
    const deployment = await deploymentOf(fx);
    const decode = createDecoder(LEDGER_INTERFACES, deployment.addresses);
    const iface = LEDGER_INTERFACES.ProductRegistry;
    const spec = [3, 1, 2, "0x" + "aa".repeat(32), "0x" + "bb".repeat(32), "ipfs://product/2", 4000, 0];
    const inputs = [
      [1, 7n, 11n, 3000],
      [2, 1n, 12n, 3000],
    ];
    const { data, topics } = iface.encodeEventLog(iface.getEvent("ProductRegistered")!, [2n, deployment.addresses.MemberRegistry, 2, spec, inputs]);
    const log: RawLog = { address: deployment.addresses.ProductRegistry, topics, data, blockNumber: "0x1", blockHash: "0x" + "00".repeat(32), transactionHash: "0x" + "11".repeat(32), transactionIndex: "0x0", logIndex: "0x0" };
    const ours = decode(log);
    expect(ours.name).to.equal("ProductRegistered");
    expect(plain(ours.args)).to.deep.equal(plain(iface.parseLog({ topics, data })!.args));
    const decodedInputs = (ours.args as unknown as { inputs: { id: bigint; grantId: bigint }[] }).inputs;
    expect(decodedInputs.map((i) => [i.id, i.grantId])).to.deep.equal([
      [7n, 11n],
      [1n, 12n],
    ]);
  });

  it("refuses a log from an unknown contract or with an unknown topic", async function () {
    const fx = await ledgerFixture();
    const deployment = await deploymentOf(fx);
    const decode = createDecoder(LEDGER_INTERFACES, deployment.addresses);
    const base: RawLog = { address: deployment.addresses.MemberRegistry, topics: ["0x" + "ab".repeat(32)], data: "0x", blockNumber: "0x1", blockHash: "0x" + "00".repeat(32), transactionHash: "0x" + "11".repeat(32), transactionIndex: "0x0", logIndex: "0x0" };
    expect(() => decode(base)).to.throw(/matches no ledger event/);
    expect(() => decode({ ...base, address: "0x" + "12".repeat(20) })).to.throw(/matches no ledger event/);
  });
});
