import { id } from "ethers";
import { Category, DeliveryMode, Domain, Grade, OpenClass, PricingMethod, ProductKind, RatingKind, ResourceKind, RightType, SubjectKind } from "../domain/enums.js";
import type { Actors } from "./actors.js";
import { mined, type Ledger } from "./ledger.js";

const DAY = 24 * 3600;
const YEAR = 365 * DAY;
const NINGBO = 330200;
const CNY = "0x434e59";
const bytes12 = (s: string): string => "0x" + Buffer.from(s.padEnd(12, " ").slice(0, 12), "utf8").toString("hex");
const doc = (label: string): string => id(`drl-demo:${label}`);

/** What the market part of the demo made, for the summary and the supervision part. */
export interface MarketStory {
  forecast: bigint;
  portData: bigint;
  healthData: bigint;
  publicData: bigint;
  authorizationId: bigint;
  indexProduct: bigint;
  listingId: bigint;
  tradeId: bigint;
  procurementId: bigint;
  licenceGrant: bigint;
}

/**
 * The market, after the seed: the bureau's public port data authorized for operation (公共数据授权运营), the port
 * group's and the hospital's data registered (the hospital's with consent), the 海上丝路指数-like port-logistics
 * index derived by the operating company, certified and listed, its price approved (it has public inputs), a trade
 * with revenue shares, and a government procurement.
 */
export async function playMarket(l: Ledger, a: Actors, round: string, say: (line: string) => void): Promise<MarketStory> {
  const now = async () => BigInt((await a.governance.provider!.getBlock("latest"))!.timestamp);
  const until = (await now()) + BigInt(YEAR);
  const leaf = async (purposes = 0b11) => ({ purposes, region: NINGBO, validFrom: await now(), validUntil: until, exclusive: false, maySubGrant: false, depth: 0, cap: 0n });

  // Data resources (数据资源登记).
  await mined(l.resources.connect(a.port).register(ResourceKind.DataSet, Category.Enterprise, Grade.General, Domain.PortLogistics, OpenClass.NotApplicable, doc(`port throughput ${round}`), `ipfs://demo/port-throughput/${round}`));
  const portData = await l.resources.resourceCount();
  say(`港口集团 registered port throughput data: resource ${portData}`);
  await mined(l.resources.connect(a.hospital).register(ResourceKind.DataSet, Category.Personal, Grade.Important, Domain.Health, OpenClass.NotApplicable, doc(`outpatient records ${round}`), `ipfs://demo/outpatient/${round}`));
  const healthData = await l.resources.resourceCount();
  await mined(l.consents.connect(a.hospital).record(healthData, doc(`consent merkle root ${round}`), 0b11, 12_000, until));
  say(`医疗集团 registered outpatient data (personal, important): resource ${healthData}, with consent of 12,000 data subjects`);
  await mined(l.resources.connect(a.bureau).register(ResourceKind.DataSet, Category.Public, Grade.General, Domain.PortLogistics, OpenClass.Conditional, doc(`public vessel traffic ${round}`), `ipfs://demo/vessel-traffic/${round}`));
  const publicData = await l.resources.resourceCount();
  say(`市大数据局 registered public vessel-traffic data: resource ${publicData}`);

  await mined(l.resources.connect(a.bureau).register(ResourceKind.DataSet, Category.Public, Grade.General, Domain.Health, OpenClass.Conditional, doc(`public health statistics ${round}`), `ipfs://demo/public-health/${round}`));
  const publicHealth = await l.resources.resourceCount();
  say(`市大数据局 registered public health statistics: resource ${publicHealth}`);

  // Public-data authorized operation (公共数据授权运营) of the public health and vessel-traffic data, evaluated.
  await mined(l.operations.connect(a.governance).authorize(a.operator.address, [publicHealth, publicData], doc("scenario: public health and port logistics"), doc(`operation conditions ${round}`), 0, until));
  const authorizationId = await l.operations.authorizationFor(a.operator.address, publicData);
  await mined(l.operations.connect(a.bureau).evaluate(authorizationId, 202611, 91, doc(`evaluation ${round}`)));
  say(`public health and vessel-traffic data authorized for operation by the data operating company: authorization ${authorizationId} (evaluated 91/100)`);

  // The index product over port data and public data.
  await mined(l.grants.connect(a.port).grant(RightType.ProcessingUse, SubjectKind.Resource, portData, a.operator.address, await leaf(), doc(`licence port ${round}`), 0));
  const portGrant = await l.grants.grantCount();
  await mined(l.grants.connect(a.bureau).grant(RightType.ProcessingUse, SubjectKind.Resource, publicData, a.operator.address, await leaf(), doc(`licence public ${round}`), 0));
  const publicGrant = await l.grants.grantCount();
  const spec = {
    kind: ProductKind.ApiService,
    delivery: DeliveryMode.Api,
    domain: Domain.PortLogistics,
    environmentHash: doc("privacy computing sandbox attestation"),
    metadataHash: doc(`maritime silk road index ${round}`),
    uri: `ipfs://demo/maritime-silk-road-index/${round}`,
    operatorBps: 3000,
    publicBps: 1000,
  };
  await mined(l.products.connect(a.operator).register(spec, [
    { kind: SubjectKind.Resource, id: portData, grantId: portGrant, shareBps: 4500 },
    { kind: SubjectKind.Resource, id: publicData, grantId: publicGrant, shareBps: 1500 },
  ]));
  const indexProduct = await l.products.productCount();
  say(`数据运营公司 registered the 海上丝路指数 port-logistics index: product ${indexProduct} (shares: port 45%, public data 15%, operator 30%, public 10%)`);

  // Admission: ratings, list and level; listing; price approval.
  await mined(l.admission.connect(a.certifier).qualifyMember(a.operator.address, 3, Number(until), doc(`qualification ${round}`)));
  await mined(l.admission.connect(a.certifier).certifyProduct(indexProduct, 2, Number(until), doc(`certification ${round}`)));
  await mined(l.admission.connect(a.certifier).assessProduct(indexProduct, RatingKind.Valuation, 2_000_000_00n, doc(`valuation ${round}`)));
  say(`第三方认证机构 qualified the operator (level 3), certified the index (level 2) and valued it at CNY 2,000,000.00`);
  const terms = { purposes: 0b01, region: NINGBO, term: 90 * DAY, cap: 0n, scenario: 202201, termsHash: doc("index licence terms") };
  await mined(l.market.connect(a.operator).list(indexProduct, 0, terms, { amount: 50_000_00n, currency: CNY, method: PricingMethod.Subscription, unit: bytes12("per quarter") }));
  const listingId = (await l.market.counts())[0];
  await mined(l.market.connect(a.bureau).approvePrice(listingId, doc(`price review ${round}`)));
  say(`listed as listing ${listingId} at CNY 50,000.00 per quarter; the bureau approved the price (public inputs: 定价管理)`);

  // A trade with revenue shares.
  await mined(l.market.connect(a.logistics).buy(listingId, 1, doc(`bank transfer ${round}`)));
  const tradeId = (await l.market.counts())[1];
  const licenceGrant = (await l.market.getTrade(tradeId)).grantId;
  await mined(l.market.connect(a.operator).confirmDelivery(tradeId, doc(`api credentials delivered ${round}`)));
  await mined(l.market.connect(a.logistics).confirmReceipt(tradeId));
  say(`物流企业 bought it (trade ${tradeId}, licence grant ${licenceGrant}); delivery and receipt confirmed, entitlements recorded`);

  // A derived product (lineage depth 2) by the buyer, under its licence; procured by the operating company on
  // governance's behalf (由市数据要素运营主体进行集中采购), which licenses every government department.
  await mined(l.products.connect(a.logistics).register(
    { ...spec, kind: ProductKind.Report, metadataHash: doc(`port congestion forecast ${round}`), uri: `ipfs://demo/congestion-forecast/${round}`, operatorBps: 4000, publicBps: 1000 },
    [{ kind: SubjectKind.Product, id: indexProduct, grantId: licenceGrant, shareBps: 5000 }],
  ));
  const forecast = await l.products.productCount();
  await mined(l.admission.connect(a.certifier).qualifyMember(a.logistics.address, 2, Number(until), doc(`qualification logistics ${round}`)));
  await mined(l.admission.connect(a.certifier).certifyProduct(forecast, 2, Number(until), doc(`certification forecast ${round}`)));
  await mined(l.market.connect(a.logistics).list(forecast, 0, terms, { amount: 12_000_00n, currency: CNY, method: PricingMethod.Fixed, unit: bytes12("per licence") }));
  const procurementListing = (await l.market.counts())[0];
  await mined(l.market.connect(a.bureau).approvePrice(procurementListing, doc(`procurement price ${round}`)));
  await mined(l.market.connect(a.governance).setProcurementAgent(a.operator.address));
  if (!(await l.admission.isGovernmentDepartment(a.transport.address))) await mined(l.admission.connect(a.governance).setGovernmentDepartment(a.transport.address, true));
  await mined(l.market.connect(a.operator).procure(procurementListing, 1, doc(`procurement payment ${round}`)));
  const procurementId = (await l.market.counts())[1];
  await mined(l.market.connect(a.logistics).confirmDelivery(procurementId, doc(`forecast delivered ${round}`)));
  await mined(l.market.connect(a.operator).confirmReceipt(procurementId));
  say(`物流企业 derived a port congestion forecast (product ${forecast}, over the index); the operating company procured it for governance (trade ${procurementId}): 市交通局 is licensed with no further trade, and the revenue walked the lineage back to the port group`);
  return { forecast, portData, healthData, publicData, authorizationId, indexProduct, listingId, tradeId, procurementId, licenceGrant };
}
