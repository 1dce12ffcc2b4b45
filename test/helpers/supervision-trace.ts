import { expect } from "chai";
import { ACTION_EVENTS, collectLogs, eventPayloadHash, foldTraces, traceLogs, type DecodedLog } from "./trace.js";
import { SUPERVISION_ACTION_EVENTS, type SupervisionFixture } from "./supervision-fixture.js";
import { ethers } from "./fixtures.js";

/**
 * Collects every log of the ledger and supervision contracts, folds every trace (seq and word checked), and checks
 * that each entry commits to its domain event: the nearest earlier log of the same transaction with a
 * name its action allows, whose arguments hash to the entry's payload hash. Returns the number of entries checked.
 */
export async function expectTracesCommit(fx: SupervisionFixture): Promise<number> {
  const contracts = [fx.members, fx.resources, fx.grants, fx.operations, fx.consents, fx.products, fx.reports, fx.disputes, fx.sanctions, fx.severe];
  const sources = await Promise.all(contracts.map(async (c) => ({ address: await c.getAddress(), iface: c.interface })));
  const logs = await collectLogs(ethers.provider, sources);
  const traces = traceLogs(logs);
  foldTraces(traces);
  for (const t of traces) {
    const names = [...(ACTION_EVENTS[t.entry.action] ?? []), ...(SUPERVISION_ACTION_EVENTS[t.entry.action] ?? [])];
    let domain: DecodedLog | undefined;
    for (const l of logs) {
      if (l.txHash !== t.txHash || l.index >= t.index || !names.includes(l.event.name)) continue;
      if (domain === undefined || l.index > domain.index) domain = l;
    }
    expect(domain, `action ${t.entry.action} in ${t.txHash}: no domain event`).to.not.equal(undefined);
    expect(eventPayloadHash(domain!.event), `action ${t.entry.action} (${domain!.event.name}) payload`).to.equal(t.entry.payloadHash);
  }
  return traces.length;
}
