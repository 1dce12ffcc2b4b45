import { id, keccak256, toUtf8Bytes, type ContractTransactionResponse } from "ethers";
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";

/** One measured write: its gas, and the target it is held to (if any). */
export interface GasRow {
  op: string;
  gas: bigint;
  /** The target for this write, if it sets one. */
  target?: bigint;
  /** The regression budget the gas test holds it to: the target where met, else the explained figure + ~3%. */
  budget: bigint;
  note?: string;
  /** Why this write may cost more than the EAS anchor (a bounded walk over a lineage); unset for every other write. */
  aboveAnchor?: string;
}

/** Targets from the ledger-core issue; no write may exceed the EAS attest anchor. */
export const EAS_ATTEST_ANCHOR = 272_401n;
export const ERC721_MINT_ANCHOR = 68_759n;

const h = (label: string): string => keccak256(toUtf8Bytes(label));
const role = (name: string): string => id(`drl.role.${name}`);

/**
 * Deploys the ledger on `ethers`' network and performs every core write once in a realistic state (a populated
 * ledger, warm counters), returning the gas of each. Shared by `npm run gas` and the gas-budget test.
 */
export async function measureCoreGas(ethers: HardhatEthers): Promise<GasRow[]> {
  const [gov, regulator, holder, holder2, processor, processor2, processor3, objector] = await ethers.getSigners();
  if (!objector) throw new Error("need 8 accounts");
  const rows: GasRow[] = [];
  const measure = async (
    op: string,
    tx: Promise<ContractTransactionResponse>,
    target?: bigint,
    note?: string,
    budget: bigint = target ?? EAS_ATTEST_ANCHOR,
    aboveAnchor?: string,
  ) => {
    const receipt = await (await tx).wait();
    if (!receipt) throw new Error(`no receipt for ${op}`);
    rows.push({ op, gas: receipt.gasUsed, target, budget, note, aboveAnchor });
  };

  const members = await ethers.deployContract("MemberRegistry", [gov.address, h("org:gov"), h("cred:gov")]);
  const resources = await ethers.deployContract("ResourceRegistry", [await members.getAddress(), 7 * 24 * 3600]);
  const grants = await ethers.deployContract("GrantRegistry", [await members.getAddress(), await resources.getAddress()]);
  const operations = await ethers.deployContract("OperationRegistry", [await members.getAddress(), await resources.getAddress()]);
  const consents = await ethers.deployContract("ConsentRegistry", [await members.getAddress(), await resources.getAddress()]);
  await (await resources.setGrantRegistry(await grants.getAddress())).wait();
  await (await grants.setConditionRegistries(await operations.getAddress(), await consents.getAddress())).wait();
  const products = await ethers.deployContract("ProductRegistry", [await members.getAddress(), await resources.getAddress(), await grants.getAddress()]);
  await (await grants.setSubjectRegistry(5, await products.getAddress())).wait();

  await measure("admit member (one role)", members.admit(regulator.address, h("org:reg"), h("cred:reg"), [role("REGULATOR")]));
  for (const [s, r] of [
    [holder, "HOLDER"],
    [holder2, "HOLDER"],
    [processor, "PROCESSOR"],
    [processor2, "PROCESSOR"],
    [processor3, "PROCESSOR"],
    [objector, "PROCESSOR"],
  ] as const) {
    await (await members.admit(s.address, h(`org:${s.address}`), h(`cred:${s.address}`), [role(r)])).wait();
  }
  const register = () =>
    resources.connect(holder).register(0, 1, 0, 1, 0, h(`catalogue:${Math.random()}`), "ipfs://bafy-catalogue/port-throughput-2026");
  // Warm the counters so that every figure is the steady-state cost, not the ledger's first write.
  await (await register()).wait();
  await measure("register resource", register(), 150_000n);
  await (await register()).wait();
  await (await register()).wait();

  const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  const scope = (o: Record<string, unknown> = {}) => ({
    purposes: 0b11, region: 330200, validFrom: now, validUntil: now + 365n * 86400n,
    exclusive: false, maySubGrant: true, depth: 2, cap: 0n, ...o,
  });
  const leaf = scope({ maySubGrant: false, depth: 0 });
  await (await grants.connect(holder).grant(1, 3, 1, processor.address, leaf, h("terms:warm"), 0)).wait();
  await measure("grant (leaf licence)", grants.connect(holder).grant(1, 3, 2, processor.address, leaf, h("terms:a"), 0), 160_000n);
  await measure(
    "grant (sub-grantable)",
    grants.connect(holder).grant(1, 3, 3, processor.address, scope(), h("terms:b"), 0),
    160_000n,
    "stores a third slot: the scope its sub-grants are checked against",
    178_000n,
  );
  const subGrantId = await grants.grantCount();
  await measure(
    "sub-grant (sub-grantable, under a shared parent)",
    grants.connect(processor).grant(1, 3, 3, processor2.address, scope({ depth: 1 }), h("terms:c"), subGrantId),
    180_000n,
  );
  await measure(
    "sub-grant (leaf, later under the same parent)",
    grants.connect(processor).grant(1, 3, 3, processor3.address, scope({ depth: 0, maySubGrant: false }), h("terms:d"), subGrantId),
    180_000n,
  );
  await (await register()).wait(); // resource 5
  await (await grants.connect(holder).grant(1, 3, 5, processor.address, scope({ exclusive: true }), h("terms:e"), 0)).wait();
  const exclusiveParent = await grants.grantCount();
  await measure(
    "sub-grant (leaf, first under an exclusive parent)",
    grants.connect(processor).grant(1, 3, 5, processor2.address, scope({ depth: 0, maySubGrant: false }), h("terms:f"), exclusiveParent),
    180_000n,
    "opens the exclusive parent's exclusivity slot (one new slot)",
  );
  await (await register()).wait(); // resource 6
  await (await grants.connect(holder).grant(1, 3, 6, processor.address, scope({ exclusive: true }), h("terms:g"), 0)).wait();
  await measure(
    "sub-grant (sub-grantable, first under an exclusive parent)",
    grants.connect(processor).grant(1, 3, 6, processor2.address, scope({ depth: 1 }), h("terms:h"), await grants.grantCount()),
    180_000n,
    "worst case: the exclusivity slot and the scope slot are both new",
    205_000n,
  );
  await measure("revoke grant", grants.connect(holder).revoke(2, h("reason:revoke")), 60_000n);
  await measure("freeze grant", grants.connect(regulator).freeze(3, h("reason:freeze")));
  await measure("transfer holding right", resources.connect(holder).transfer(4, holder2.address, h("terms:transfer")), 90_000n);
  await measure("change catalogue version", resources.connect(holder2).change(4, h("catalogue:v2"), "ipfs://bafy-catalogue/v2"));
  await measure("object (public notice)", resources.connect(objector).object(4, h("evidence:objection")));
  await measure("resolve objection (dismissed)", resources.connect(regulator).resolveObjection(4, 1, false, h("reason:dismiss")));
  await measure("freeze resource", resources.connect(regulator).freeze(4, h("reason:freeze")));
  await measure("cancel resource", resources.connect(holder).cancel(2, h("reason:cancel")));
  await measure("suspend member", members.connect(regulator).suspend(objector.address, h("reason:suspend")));
  await measure("reinstate member", members.reinstate(objector.address, h("reason:reinstate")));

  // Public-data operation and personal-information consent, and the grants that rest on them.
  const operator = processor3;
  await (await members.grantRole(role("OPERATOR"), operator.address)).wait();
  const publicIds: bigint[] = [];
  for (let i = 0; i < 5; i++) {
    await (await resources.connect(holder).register(1, 0, 0, 0, 2, h(`public:${i}`), "ipfs://bafy-public/health-index")).wait();
    publicIds.push(await resources.resourceCount());
  }
  await measure(
    "authorize public-data operation (5 resources, the maximum)",
    operations.authorize(operator.address, publicIds, h("scenario:port-index"), h("conditions"), 0, now + 365n * 86400n),
    undefined,
    "one slot per covered resource: what a grant looks up",
  );
  await (await operations.authorize(operator.address, [publicIds[0]!], h("scenario:2"), h("conditions:2"), 0, now + 365n * 86400n)).wait();
  await measure("evaluate operation", operations.connect(regulator).evaluate(1, 202611, 90, h("report")));
  await measure("grant on public data (with its operation authorization)", grants.connect(holder).grant(1, 3, publicIds[1]!, operator.address, leaf, h("terms:public"), 0), 160_000n, "reads the operator's authorization and stores the condition (one slot)", 185_000n);
  const inputGrantsPublic = await grants.grantCount();
  await (await resources.connect(holder).register(0, 2, 0, 2, 0, h("personal"), "ipfs://bafy-personal/claims")).wait();
  const personal = await resources.resourceCount();
  await measure("record consent", consents.connect(holder).record(personal, h("merkle-root"), 0b11, 125_000, Number(now + 365n * 86400n)));
  await measure("grant on personal data (with consent)", grants.connect(holder).grant(1, 3, personal, processor.address, leaf, h("terms:personal"), 0), 160_000n, "checks the consent covers the purposes and stores the condition (one slot)", 185_000n);
  await measure("withdraw consent (one purpose)", consents.connect(regulator).withdraw(1, 0b10, h("complaint")));
  await measure("exit operation (forced)", operations.exit(2, h("reason:exit")));

  // Data products: one input, then four (the maximum fan-in), and a product-operation grant.
  const productSpec = { kind: 3, delivery: 1, domain: 1, environmentHash: h("env"), metadataHash: h("meta"), uri: "ipfs://bafy-product/port-index", operatorBps: 2000, publicBps: 0 };
  const inputGrants: bigint[] = [];
  for (let i = 0; i < 4; i++) {
    await (await register()).wait();
    await (await grants.connect(holder).grant(1, 3, await resources.resourceCount(), processor.address, leaf, h(`terms:in${i}`), 0)).wait();
    inputGrants.push(await grants.grantCount());
  }
  const resourceOf = async (g: bigint) => (await grants.getGrant(g)).subjectId;
  await measure("register product (1 input)", products.connect(processor).register(productSpec, [{ kind: 3, id: await resourceOf(inputGrants[0]!), grantId: inputGrants[0]!, shareBps: 8000 }]));
  const four = await Promise.all(inputGrants.map(async (g) => ({ kind: 3, id: await resourceOf(g), grantId: g, shareBps: 2000 })));
  await measure("register product (4 inputs, the maximum fan-in)", products.connect(processor).register(productSpec, four), undefined, "checks each input's grant (one call each); three inputs share a slot");
  await (await members.grantRole(role("OPERATOR"), processor2.address)).wait();
  await measure("grant the product-operation right (经营权)", grants.connect(processor).grant(2, 5, 1, processor2.address, leaf, h("terms:operation"), 0), 160_000n, undefined, 185_000n);
  const buy = (who: typeof holder, listingId: number | bigint) => market.connect(who).buy(listingId, 1, h(`settlement:${Math.random()}`));

  // The market: admission, listings, prices, trades, entitlements, procurement.
  const admission = await ethers.deployContract("AdmissionRegistry", [await members.getAddress(), await products.getAddress()]);
  const market = await ethers.deployContract("Market", [
    await members.getAddress(), await products.getAddress(), await grants.getAddress(), await resources.getAddress(), await admission.getAddress(),
  ]);
  await (await grants.setMarket(await market.getAddress())).wait();
  const [certifier] = [regulator];
  await (await members.grantRole(role("CERTIFIER"), certifier.address)).wait();
  await measure("set public beneficiary", market.setPublicBeneficiary(gov.address));
  await measure("set procurement agent", market.setProcurementAgent(processor2.address));
  await measure("negative-list entry", admission.setNegativeEntry(0, 2, 1, 0b100, h("reason:negative")));
  await measure("positive-list entry", admission.setPositiveEntry(12, true, h("scenario:port-index")));
  await measure("required certification level", admission.setRequiredLevel(1, 2));
  await measure("mark a government department", admission.setGovernmentDepartment(holder2.address, true));
  const until = Number(now + 365n * 86400n);
  for (const p of [processor, processor2, processor3]) await (await admission.connect(certifier).qualifyMember(p.address, 1, until, h("report:warm"))).wait();
  await measure("qualify member", admission.connect(certifier).qualifyMember(processor.address, 2, until, h("report:qualification")));
  await measure("certify product", admission.connect(certifier).certifyProduct(1, 1, until, h("report:certification")));
  await measure("assess product (valuation)", admission.connect(certifier).assessProduct(1, 3, 1_000_000n, h("report:valuation")));
  await measure("revoke rating", admission.connect(certifier).revokeRating(5, h("reason:revoke-rating")));
  await (await admission.connect(certifier).certifyProduct(1, 1, until, h("report:recertify"))).wait();
  const licence = { purposes: 1, region: 330200, term: 30 * 86400, cap: 0n, scenario: 12, termsHash: h("terms:licence") };
  const priceOf = (amount: bigint) => ({ amount, currency: "0x434e59", method: 1, unit: "0x70657220726571756573742e" });
  await (await market.connect(processor).list(1, 0, licence, priceOf(1_000n))).wait();
  await measure("list product (1 input)", market.connect(processor).list(1, 0, licence, priceOf(1_000n)), undefined, "walks the lineage and checks the negative list, certification and qualification");
  await measure("file a new price", market.connect(processor).filePrice(2, priceOf(1_200n)));
  await measure("delist", market.connect(processor).delist(2, h("reason:delist")));
  await (await buy(processor2, 1)).wait();
  await measure("buy (1-input product)", buy(processor2, 1), undefined, "re-checks the lineage and issues the buyer's licence (a grant)");
  const tradeId = (await market.counts())[1];
  await measure("confirm delivery", market.connect(processor).confirmDelivery(tradeId, h("delivery")));
  await measure("confirm receipt (1-input product: 2 entitlements)", market.connect(processor2).confirmReceipt(tradeId));
  await measure("dispute trade", market.connect(processor2).disputeTrade(tradeId - 1n, h("reason:dispute")));
  await measure("procure (government procurement)", market.connect(processor2).procure(1, 10, h("settlement:procurement")));

  // Price approval: a product over public data (the operator's grant on public resource publicIds[1]).
  const publicGrant = inputGrantsPublic;
  await (await products.connect(operator).register({ ...productSpec, operatorBps: 2000, publicBps: 1000 }, [{ kind: 3, id: publicIds[1]!, grantId: publicGrant, shareBps: 7000 }])).wait();
  const publicProduct = await products.productCount();
  await (await admission.connect(certifier).certifyProduct(publicProduct, 1, until, h("report:public"))).wait();
  await (await market.connect(operator).list(publicProduct, 0, licence, priceOf(500n))).wait();
  await (await market.connect(operator).list(publicProduct, 0, licence, priceOf(900n))).wait();
  const [listings] = await market.counts();
  await measure("approve price (定价管理)", market.connect(regulator).approvePrice(listings - 1n, h("reason:approve")));
  await measure("reject price", market.connect(regulator).rejectPrice(listings, h("reason:reject")));

  // A lineage of depth 5 and fan-in 4 at the edge bound (64 edges): P5 = {D4a, D4b, D4c, D3}, each D4 = {D3, r, r, r},
  // D3 = {D2, r, r, r}, D2 = {D1, r, r, r}, D1 = {r, r, r, r}. Registrants alternate, as nobody is granted its own product.
  const leafTo = async (from: typeof holder, to: typeof holder, kind: number, subject: bigint) => {
    await (await grants.connect(from).grant(1, kind, subject, to.address, leaf, h(`terms:deep:${kind}:${subject}:${to.address}`), 0)).wait();
    return grants.grantCount();
  };
  const resourcesFor = async (who: typeof holder) => {
    const out = [];
    for (let i = 0; i < 3; i++) out.push({ kind: 3, id: await resourceOf(inputGrants[i]!), grantId: await leafTo(holder, who, 3, await resourceOf(inputGrants[i]!)), shareBps: 1000 });
    return out;
  };
  const make = async (who: typeof holder, inputs: { kind: number; id: bigint; grantId: bigint; shareBps: number }[]) => {
    await (await products.connect(who).register({ ...productSpec, operatorBps: 10_000 - inputs.reduce((t, i) => t + i.shareBps, 0) }, inputs)).wait();
    return products.productCount();
  };
  const over = async (from: typeof holder, to: typeof holder, product: bigint, shareBps: number) => ({ kind: 5, id: product, grantId: await leafTo(from, to, 5, product), shareBps });
  const d1 = await make(processor, four.map((i) => ({ ...i, shareBps: 1500 })));
  const d2 = await make(processor2, [await over(processor, processor2, d1, 3000), ...(await resourcesFor(processor2))]);
  const d3 = await make(processor, [await over(processor2, processor, d2, 3000), ...(await resourcesFor(processor))]);
  const d4: bigint[] = [];
  for (let i = 0; i < 3; i++) d4.push(await make(processor2, [await over(processor, processor2, d3, 3000), ...(await resourcesFor(processor2))]));
  const topInputs = [];
  for (const d of d4) topInputs.push(await over(processor2, processor3, d, 2000));
  topInputs.push(await over(processor, processor3, d3, 2000));
  const top = await make(processor3, topInputs);
  if ((await products.getProduct(top)).lineageEdges !== 64n || (await products.getProduct(top)).depth !== 5n) throw new Error("the deep lineage is not 64 edges at depth 5");
  await (await admission.connect(certifier).certifyProduct(top, 1, until, h("report:deep"))).wait();
  await measure("list product (depth 5, fan-in 4, 64 edges: the bound)", market.connect(processor3).list(top, 0, licence, priceOf(1_000_000n)), undefined, "walks all 64 input edges", 1_450_000n, "a lineage walk bounded by MAX_LINEAGE_EDGES");
  const deepListing = (await market.counts())[0];
  await measure("buy (depth 5, fan-in 4, 64 edges: the bound)", market.connect(processor).buy(deepListing, 1, h("settlement:deep")), undefined, "re-checks all 64 input edges at the block of the trade", 1_200_000n, "a lineage walk bounded by MAX_LINEAGE_EDGES");
  const deepTrade = (await market.counts())[1];
  await (await market.connect(processor3).confirmDelivery(deepTrade, h("delivery:deep"))).wait();
  await measure("confirm receipt (depth 5, fan-in 4, 64 edges: the bound)", market.connect(processor).confirmReceipt(deepTrade), undefined, "splits the amount along all 64 edges", 900_000n, "a lineage walk bounded by MAX_LINEAGE_EDGES");

  const nft = await ethers.deployContract("AnchorERC721");
  await measure("anchor: OpenZeppelin ERC-721 mint (measured here)", nft.mint(holder.address, 1n), undefined, "anchor, not a ledger write");
  return rows;
}
