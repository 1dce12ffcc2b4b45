import type { Signer } from "ethers";
import { defaultScope, h, networkHelpers, ROLES, type LedgerFixture } from "./fixtures.js";
import { Category, DeliveryMode, Domain, Grade, OpenClass, PricingMethod, ProductKind, ResourceKind, RightType, SubjectKind } from "./enums.js";

/** A year, in seconds. */
export const YEAR = 365 * 24 * 3600;

export const CNY = "0x434e59"; // "CNY" as bytes3
export const UNIT = "0x70657220726571756573742e"; // "per request." as bytes12

export const price = (amount = 1_000n, o: Partial<{ currency: string; method: number; unit: string }> = {}) => ({
  amount,
  currency: o.currency ?? CNY,
  method: o.method ?? PricingMethod.PerCall,
  unit: o.unit ?? UNIT,
});

export const terms = (o: Partial<{ purposes: number; region: number; term: number; cap: bigint; scenario: number; termsHash: string }> = {}) => ({
  purposes: 0b01,
  region: 330200,
  term: 30 * 24 * 3600,
  cap: 0n,
  scenario: 7,
  termsHash: h("licence terms"),
  ...o,
});

export const productSpec = (o: Partial<{ operatorBps: number; publicBps: number; delivery: number; domain: number }> = {}) => ({
  kind: ProductKind.Report,
  delivery: o.delivery ?? DeliveryMode.Api,
  domain: o.domain ?? Domain.PortLogistics,
  environmentHash: h("env"),
  metadataHash: h("meta"),
  uri: "ipfs://port-index",
  operatorBps: o.operatorBps ?? 3000,
  publicBps: o.publicBps ?? 0,
});

export const resourceInput = (id: bigint, grantId: bigint, shareBps: number) => ({ kind: SubjectKind.Resource, id, grantId, shareBps });
export const productInput = (id: bigint, grantId: bigint, shareBps: number) => ({ kind: SubjectKind.Product, id, grantId, shareBps });

const wait = async (p: Promise<{ wait: () => Promise<unknown> }>): Promise<void> => {
  await (await p).wait();
};

/** Registers a resource held by `holder`; returns its id. */
export async function registerResource(fx: LedgerFixture, holder: Signer, category: number = Category.Enterprise, grade: number = Grade.General, domain: number = Domain.PortLogistics): Promise<bigint> {
  const open = category === Category.Public ? OpenClass.Conditional : OpenClass.NotApplicable;
  await wait(fx.resources.connect(holder).register(ResourceKind.DataSet, category, grade, domain, open, h(`catalogue:${Date.now()}:${Math.random()}`), "ipfs://catalogue"));
  return fx.resources.resourceCount();
}

/** A processing-use grant over a subject from `from` to `to`, a year long, shared, not sub-grantable; returns its id. */
export async function grantUse(fx: LedgerFixture, from: Signer, to: Signer, kind: number, subjectId: bigint, purposes = 0b11): Promise<bigint> {
  const scope = await defaultScope({ purposes, maySubGrant: false, depth: 0 });
  await wait(fx.grants.connect(from).grant(RightType.ProcessingUse, kind, subjectId, await to.getAddress(), scope, h(`terms:${subjectId}`), 0n));
  return fx.grants.grantCount();
}

/** Qualifies `account` and certifies `productId` at `level` for a year, as the fixture's certifier. */
export async function admit(fx: LedgerFixture, seller: Signer, productId: bigint, level = 1): Promise<void> {
  const until = BigInt(await networkHelpers.time.latest()) + BigInt(YEAR);
  await wait(fx.admission.connect(fx.certifier).qualifyMember(await seller.getAddress(), 1, until, h("qualification report")));
  await wait(fx.admission.connect(fx.certifier).certifyProduct(productId, level, until, h("certification report")));
}

/**
 * A product over a new public resource (held by `holder`) registered by processor, who is made an operator and
 * authorized over the resource: shares 70% to the input, 20% to the operator, 10% public. Not certified: callers
 * certify as their test needs.
 */
export async function publicProduct(fx: LedgerFixture, label = "public"): Promise<{ resourceId: bigint; productId: bigint }> {
  const processor = await fx.processor.getAddress();
  if (!(await fx.members.hasRole(ROLES.OPERATOR, processor))) await wait(fx.members.grantRole(ROLES.OPERATOR, processor));
  const resourceId = await registerResource(fx, fx.holder, Category.Public);
  const until = BigInt(await networkHelpers.time.latest()) + BigInt(YEAR);
  await wait(fx.operations.authorize(processor, [resourceId], h(`${label}:scenario`), h(`${label}:conditions`), 0, until));
  const g = await grantUse(fx, fx.holder, fx.processor, SubjectKind.Resource, resourceId);
  await wait(fx.products.connect(fx.processor).register(productSpec({ operatorBps: 2000, publicBps: 1000 }), [resourceInput(resourceId, g, 7000)]));
  return { resourceId, productId: await fx.products.productCount() };
}

export interface MarketSetup extends LedgerFixture {
  /** Resource 1 (holder's, enterprise, general, port logistics) and grant 1 over it to processor. */
  productId: bigint;
  listingId: bigint;
  inputGrantId: bigint;
}

/**
 * Product 1: processor's, over resource 1 (holder's) with grant 1; shares: holder 7,000, operator 3,000. Processor
 * qualified, product certified at level 1, listed as listing 1 at 1,000 CNY per request (no price approval needed).
 */
export async function listedProduct(fx: LedgerFixture): Promise<MarketSetup> {
  const inputGrantId = await grantUse(fx, fx.holder, fx.processor, SubjectKind.Resource, fx.resourceId);
  await wait(fx.products.connect(fx.processor).register(productSpec(), [resourceInput(fx.resourceId, inputGrantId, 7000)]));
  const productId = await fx.products.productCount();
  await admit(fx, fx.processor, productId);
  await wait(fx.market.connect(fx.processor).list(productId, 0n, terms(), price()));
  const [listingId] = await fx.market.counts();
  return { ...fx, productId, listingId, inputGrantId };
}

/** Buys `quantity` of listing `listingId` as `buyer`; returns the trade id. */
export async function buy(fx: LedgerFixture, buyer: Signer, listingId: bigint, quantity = 1n): Promise<bigint> {
  await wait(fx.market.connect(buyer).buy(listingId, quantity, h(`settlement:${listingId}:${quantity}`)));
  const [, trades] = await fx.market.counts();
  return trades;
}

/**
 * Every market write once: the admission lists and levels, ratings (one revoked), a listing with a new price and
 * a delisting, a product over public data whose prices a regulator approves and rejects, trades confirmed in two
 * steps (entitlements), a disputed trade, a procurement. Uses fresh resources and products, so it can run in rounds.
 */
export async function runMarketScenario(fx: LedgerFixture, round = 0): Promise<void> {
  const a = {
    processor: await fx.processor.getAddress(),
    processor3: await fx.processor3.getAddress(),
  };
  await wait(fx.admission.setNegativeEntry(Domain.Health, Category.Personal, Grade.Important, round % 2 === 0 ? 0b1000 : 0, h(`negative:${round}`)));
  await wait(fx.admission.setPositiveEntry(100 + round, true, h(`positive:${round}`)));
  await wait(fx.admission.setRequiredLevel(Grade.Important, (round % 5) + 1));
  await wait(fx.admission.setGovernmentDepartment(a.processor3, round % 2 === 0));
  await wait(fx.market.setProcurementAgent(await fx.operator.getAddress()));
  await wait(fx.market.setPublicBeneficiary(await fx.gov.getAddress()));

  // A product over enterprise data: listed, re-priced, bought twice (one confirmed, one disputed), procured.
  const rid = await registerResource(fx, fx.holder);
  const g = await grantUse(fx, fx.holder, fx.processor, SubjectKind.Resource, rid);
  await wait(fx.products.connect(fx.processor).register(productSpec(), [resourceInput(rid, g, 7000)]));
  const productId = await fx.products.productCount();
  await admit(fx, fx.processor, productId);
  await wait(fx.admission.connect(fx.certifier).assessProduct(productId, 2, 88, h(`quality:${round}`)));
  await wait(fx.admission.connect(fx.regulator).revokeRating(await fx.admission.ratingCount(), h(`revoke rating:${round}`)));
  await wait(fx.market.connect(fx.processor).list(productId, 0n, terms(), price(1_000n)));
  const listingId = (await fx.market.counts())[0];
  await wait(fx.market.connect(fx.processor).filePrice(listingId, price(1_234n)));
  const t1 = await buy(fx, fx.processor2, listingId, 3n);
  await wait(fx.market.connect(fx.processor).confirmDelivery(t1, h(`delivery:${round}`)));
  await wait(fx.market.connect(fx.processor2).confirmReceipt(t1));
  const t2 = await buy(fx, fx.processor2, listingId, 1n);
  await wait(fx.market.connect(fx.processor2).disputeTrade(t2, h(`dispute:${round}`)));
  await wait(fx.market.connect(fx.operator).procure(listingId, 5n, h(`procurement:${round}`)));
  await wait(fx.market.connect(fx.processor).list(productId, 0n, terms({ term: 7 * 24 * 3600 }), price(99n)));
  await wait(fx.market.connect(fx.regulator).delist((await fx.market.counts())[0], h(`delist:${round}`)));

  // A product over public data: its price needs a regulator's approval.
  const { productId: publicId } = await publicProduct(fx, `market scenario:${round}`);
  const until = BigInt(await networkHelpers.time.latest()) + BigInt(YEAR);
  await wait(fx.admission.connect(fx.certifier).certifyProduct(publicId, 1, until, h(`certification:public:${round}`)));
  await wait(fx.market.connect(fx.processor).list(publicId, 0n, terms(), price(500n)));
  const approved = (await fx.market.counts())[0];
  await wait(fx.market.connect(fx.processor).list(publicId, 0n, terms(), price(5_000n)));
  await wait(fx.market.connect(fx.regulator).approvePrice(approved, h(`approve:${round}`)));
  await wait(fx.market.connect(fx.regulator).rejectPrice(approved + 1n, h(`reject:${round}`)));
  const t3 = await buy(fx, fx.processor2, approved, 2n);
  await wait(fx.market.connect(fx.processor).confirmDelivery(t3, h(`delivery:public:${round}`)));
  await wait(fx.market.connect(fx.processor2).confirmReceipt(t3));
}
