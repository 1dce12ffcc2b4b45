import { expect } from "chai";
import { runMarketScenario } from "../helpers/market.js";
import { getAddress } from "ethers";
import { defaultScope, ethers, h, ledgerFixture, networkHelpers, ROLES, type LedgerFixture } from "../helpers/fixtures.js";
import { addressesOf, type Addresses } from "../helpers/accounts.js";
import { SUPERVISION_ACTION_MIN, Action, Category, Grade, OpenClass, RightType, SubjectKind } from "../helpers/enums.js";
import { registerArgs, registerInput } from "../helpers/resources.js";
import {
  ACTION_EVENTS,
  argAddress,
  collectLogs,
  domainEventOf,
  eventPayloadHash,
  foldTraces,
  grantKey,
  ledgerKey,
  memberKey,
  resourceKey,
  traceId,
  traceLogs,
  type DecodedLog,
  type FoldResult,
  type LogSource,
  type TraceLog,
} from "../helpers/trace.js";

const REASON = h("reason");

/** Waits for a sent transaction. */
const mined = async (tx: Promise<{ wait: () => Promise<unknown> }>): Promise<void> => {
  await (await tx).wait();
};

/**
 * A sequence of writes across the three contracts that exercises every action code: member admission, role grants
 * and revocations (by governance and by renouncing), suspension, reinstatement, expulsion; resource registration,
 * change, objection (dismissed and upheld), freeze, unfreeze, cancellation, transfer, the objection window; root
 * grant, sub-grant, grant freeze/unfreeze/revocation, the subject registry; and one block holding several writes.
 */
async function runScenario(fx: LedgerFixture, a: Addresses): Promise<void> {
  const newcomer = getAddress("0x00000000000000000000000000000000000c0de1");
  // Members
  await mined(fx.members.admit(newcomer, h("org:newcomer"), h("cred:newcomer"), [ROLES.HOLDER, ROLES.PROCESSOR]));
  await mined(fx.members.grantRole(ROLES.CERTIFIER, a.holder));
  await mined(fx.members.revokeRole(ROLES.CERTIFIER, a.holder));
  await mined(fx.members.connect(fx.processor3).renounceRole(ROLES.PROCESSOR, a.processor3));
  await mined(fx.members.connect(fx.regulator).suspend(a.operator, REASON));
  await mined(fx.members.reinstate(a.operator, REASON));
  await mined(fx.members.expel(a.arbiter, REASON));

  // Resources
  await mined(fx.resources.connect(fx.holder2).register(...registerArgs(registerInput({ grade: Grade.Important })))); // 2
  await mined(fx.resources.connect(fx.holder).change(1n, h("catalogue:1:v2"), "ipfs://catalogue/1/v2"));
  await mined(fx.resources.connect(fx.processor).object(2n, h("evidence:1")));
  await mined(fx.resources.connect(fx.operator).object(2n, h("evidence:2")));
  await mined(fx.resources.connect(fx.regulator).resolveObjection(2n, 1n, false, REASON));
  await mined(fx.resources.connect(fx.regulator).resolveObjection(2n, 2n, true, REASON)); // cancels 2
  await mined(fx.resources.connect(fx.regulator).freeze(1n, REASON));
  await mined(fx.resources.connect(fx.regulator).unfreeze(1n, REASON));
  await mined(fx.resources.setObjectionWindow(3 * 24 * 3600));
  await mined(fx.resources.connect(fx.holder).register(...registerArgs())); // 3
  await mined(fx.resources.connect(fx.holder).cancel(3n, REASON));
  await mined(fx.resources.connect(fx.holder).transfer(1n, a.holder2, h("terms:transfer")));

  // Grants: root grant 1 (holder2 -> processor), sub-grant 2 (processor -> processor2)
  const scope = await defaultScope();
  await mined(fx.grants.connect(fx.holder2).grant(RightType.ProcessingUse, SubjectKind.Resource, 1n, a.processor, scope, h("terms:g1"), 0n));
  await mined(
    fx.grants.connect(fx.processor).grant(RightType.ProcessingUse, SubjectKind.Resource, 1n, a.processor2, { ...scope, depth: 1 }, h("terms:g2"), 1n),
  );
  await mined(fx.grants.connect(fx.regulator).freeze(2n, REASON));
  await mined(fx.grants.connect(fx.regulator).unfreeze(2n, REASON));
  await mined(fx.grants.connect(fx.processor).revoke(2n, h("reason:grantor")));
  await mined(fx.grants.connect(fx.regulator).revoke(1n, REASON));
  await mined(fx.grants.setSubjectRegistry(SubjectKind.Product, await fx.resources.getAddress()));

  // Public-data operation and personal-information consent.
  const yearOn = BigInt(await networkHelpers.time.latest()) + 365n * 86400n;
  await mined(fx.resources.connect(fx.holder).register(...registerArgs(registerInput({ category: Category.Public, openClass: OpenClass.Conditional })))); // 4
  await mined(fx.operations.authorize(a.operator, [4n], h("scenario"), h("conditions"), 0, yearOn));
  await mined(fx.operations.connect(fx.certifier).evaluate(1n, 202611, 80, h("report")));
  await mined(fx.operations.connect(fx.operator).exit(1n, h("reason:exit")));
  await mined(fx.resources.connect(fx.holder).register(...registerArgs(registerInput({ category: Category.Personal })))); // 5
  await mined(fx.consents.connect(fx.holder).record(5n, h("merkle"), 0b11, 300, yearOn));
  await mined(fx.grants.connect(fx.holder).grant(RightType.ProcessingUse, SubjectKind.Resource, 5n, a.processor, { ...scope, purposes: 0b01 }, h("terms:g3"), 0n));
  await mined(fx.consents.connect(fx.regulator).withdraw(1n, 0b10, REASON));
  // A product over grant 3 (processor's consent-backed grant on resource 5), frozen, unfrozen, cancelled.
  const spec = { kind: 3, delivery: 2, domain: 2, environmentHash: h("env"), metadataHash: h("meta"), uri: "ipfs://product", operatorBps: 2000, publicBps: 0 };
  await mined(fx.products.connect(fx.processor).register(spec, [{ kind: SubjectKind.Resource, id: 5n, grantId: 3n, shareBps: 8000 }]));
  await mined(fx.products.connect(fx.regulator).freeze(1n, REASON));
  await mined(fx.products.connect(fx.regulator).unfreeze(1n, REASON));
  await mined(fx.products.connect(fx.processor).cancel(1n, REASON));

  // The market, with the product registry wired back (the grant section rewired it to trace PARAMETER_SET).
  await mined(fx.grants.setSubjectRegistry(SubjectKind.Product, await fx.products.getAddress()));
  await runMarketScenario(fx, 0);

  // Several writes, on the same subjects and across contracts, in one block.
  await networkHelpers.mine();
  await ethers.provider.send("evm_setAutomine", [false]);
  try {
    const pending = [
      await fx.resources.connect(fx.holder2).change(1n, h("catalogue:1:v3"), "ipfs://catalogue/1/v3"),
      await fx.resources.connect(fx.holder2).change(1n, h("catalogue:1:v4"), "ipfs://catalogue/1/v4"),
      await fx.members.grantRole(ROLES.ARBITER, a.holder2),
      await fx.members.connect(fx.holder2).renounceRole(ROLES.ARBITER, a.holder2),
    ];
    await networkHelpers.mine();
    const receipts = await Promise.all(pending.map((tx) => tx.wait()));
    const blocks = new Set(receipts.map((r) => r?.blockNumber));
    expect(blocks.size, "the batched writes should share one block").to.equal(1);
  } finally {
    await ethers.provider.send("evm_setAutomine", [true]);
  }
}

describe("Traceable (MemberRegistry, ResourceRegistry, GrantRegistry)", function () {
  let fx: LedgerFixture;
  let a: Addresses;
  let sources: LogSource[];
  let logs: DecodedLog[];
  let traces: TraceLog[];
  let folded: FoldResult;

  before(async function () {
    fx = await ledgerFixture();
    a = await addressesOf(fx);
    await runScenario(fx, a);
    sources = [
      { address: await fx.members.getAddress(), iface: fx.members.interface },
      { address: await fx.resources.getAddress(), iface: fx.resources.interface },
      { address: await fx.grants.getAddress(), iface: fx.grants.interface },
      { address: await fx.operations.getAddress(), iface: fx.operations.interface },
      { address: await fx.consents.getAddress(), iface: fx.consents.interface },
      { address: await fx.products.getAddress(), iface: fx.products.interface },
      { address: await fx.admission.getAddress(), iface: fx.admission.interface },
      { address: await fx.market.getAddress(), iface: fx.market.interface },
    ];
    // From genesis: the fixture's own writes (the constructor's admission included) are part of every trace.
    logs = await collectLogs(ethers.provider, sources, 0);
    traces = traceLogs(logs);
    folded = foldTraces(traces);
  });

  describe("traceWord", function () {
    it("folds, per (contract, subject), with the TraceLib formula into the word each contract stores", async function () {
      const contracts = { [sources[0]!.address]: fx.members, [sources[1]!.address]: fx.resources, [sources[2]!.address]: fx.grants, [sources[3]!.address]: fx.operations, [sources[4]!.address]: fx.consents, [sources[5]!.address]: fx.products, [sources[6]!.address]: fx.admission, [sources[7]!.address]: fx.market };
      for (const [id, word] of folded.words) {
        const [address, subject] = id.split("/") as [string, string];
        const contract = contracts[address];
        expect(contract, `unknown contract ${address}`).to.not.equal(undefined);
        expect(await contract!.traceWord(subject), `traceWord of ${id}`).to.equal(word);
        // The word is one storage slot, at the slot the contract names (what an EIP-1186 proof reads).
        expect(await ethers.provider.getStorage(address, await contract!.traceSlot(subject)), `slot of ${id}`).to.equal(word);
      }
    });

    it("covers the subjects the scenario touched, each in its own contract", async function () {
      const [members, resources, grants] = sources.map((s) => s.address) as [string, string, string];
      const expected = [
        ...[a.gov, a.holder, a.processor3, a.operator, a.arbiter, a.suspended].map((m) => traceId(members, memberKey(m))),
        ...[1n, 2n, 3n].map((r) => traceId(resources, resourceKey(r))),
        traceId(resources, ledgerKey(resources)),
        ...[1n, 2n].map((g) => traceId(grants, grantKey(g))),
        traceId(grants, ledgerKey(grants)),
      ];
      for (const id of expected) expect(folded.words.has(id), `no trace for ${id}`).to.equal(true);
    });

    it("folds several entries of one subject in one block in log order", async function () {
      const resources = sources[1]!.address;
      const entries = folded.entries.get(traceId(resources, resourceKey(1n)))!;
      const last = entries.slice(-2);
      expect(last.map((e) => e.entry.action)).to.deep.equal([Action.RESOURCE_CHANGED, Action.RESOURCE_CHANGED]);
      expect(last[0]!.blockNumber).to.equal(last[1]!.blockNumber);
      expect(last[1]!.entry.seq).to.equal(last[0]!.entry.seq + 1n);
    });
  });

  describe("TraceRecorded", function () {
    it("is emitted for every action code", async function () {
      const seen = new Set(traces.map((t) => t.entry.action));
      // Supervision codes (100 and up) are exercised by test/contracts/SupervisionTrace.test.ts.
      for (const [name, code] of Object.entries(Action)) {
        if (code >= SUPERVISION_ACTION_MIN) continue;
        expect(seen.has(code), `no TraceRecorded with action ${name}`).to.equal(true);
      }
      expect(traces.length).to.be.greaterThan(50);
    });

    it("records as actor the sender of the transaction", async function () {
      const senders = new Map<string, string>();
      for (const t of traces) {
        if (!senders.has(t.txHash)) {
          const tx = await ethers.provider.getTransaction(t.txHash);
          senders.set(t.txHash, getAddress(tx!.from));
        }
        expect(t.entry.actor, `actor of ${t.txHash}#${t.index}`).to.equal(senders.get(t.txHash));
      }
    });

    it("commits with payloadHash to the args of the domain event of the same transaction, contract and action", async function () {
      for (const t of traces) {
        const domain = domainEventOf(t, logs);
        expect(domain, `no ${ACTION_EVENTS[t.entry.action]?.join("/")} before TraceRecorded ${t.txHash}#${t.index}`).to.not.equal(undefined);
        expect(eventPayloadHash(domain!.event), `payloadHash of ${domain!.event.name} in ${t.txHash}`).to.equal(t.entry.payloadHash);
      }
    });

    it("is emitted after every domain event (every write traces)", async function () {
      const traced = new Set<DecodedLog>();
      for (const t of traces) {
        const domain = domainEventOf(t, logs);
        if (domain !== undefined) traced.add(domain);
      }
      const domainNames = new Set(Object.values(ACTION_EVENTS).flat());
      const untraced = logs.filter((l) => domainNames.has(l.event.name) && !traced.has(l));
      expect(untraced.map((l) => `${l.event.name} in ${l.txHash}`)).to.deep.equal([]);
    });

    it("uses abi.encode(role, account, sender) as the payload of role grants and revocations", async function () {
      const roleTraces = traces.filter((t) => t.entry.action === Action.ROLE_GRANTED || t.entry.action === Action.ROLE_REVOKED);
      expect(roleTraces.length).to.be.greaterThan(10);
      for (const t of roleTraces) {
        const domain = domainEventOf(t, logs)!;
        expect(domain.event.fragment.inputs.map((i) => `${i.type} ${i.name}`)).to.deep.equal(["bytes32 role", "address account", "address sender"]);
        expect(t.entry.subject).to.equal(memberKey(argAddress(domain.event, "account")));
      }
    });

    it("traces a root grant on the grant and on its resource, and a sub-grant on the grant and its parent", async function () {
      const issued = traces.filter((t) => t.entry.action === Action.GRANT_ISSUED);
      const subjectsByTx = new Map<string, string[]>();
      for (const t of issued) subjectsByTx.set(t.txHash, [...(subjectsByTx.get(t.txHash) ?? []), t.entry.subject]);
      // The resource's entry is appended by the resource registry right after GrantIssued, before the grant's own.
      // The first three are the core section's; the market's licences come later (test/contracts/Market.test.ts).
      expect([...subjectsByTx.values()].slice(0, 3)).to.deep.equal([
        [resourceKey(1n), grantKey(1n)],
        [grantKey(2n), grantKey(1n)],
        [resourceKey(5n), grantKey(3n)],
      ]);
      const resources = sources[1]!.address;
      expect(issued.find((t) => t.entry.subject === resourceKey(1n))!.address).to.equal(resources);
      // Both entries of one write commit to the same GrantIssued.
      for (const t of issued) expect(domainEventOf(t, logs)!.event.name).to.equal("GrantIssued");
    });

  });
});
