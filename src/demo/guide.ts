import { SubjectKind } from "../domain/enums.js";
import type { MarketStory } from "./market-story.js";
import { subjectKey as key } from "../domain/trace.js";
import type { SupervisionStory } from "./supervision-story.js";

/** Where to look afterwards: API routes and the evidence bundles to pull. */
export function printGuide(o: { apiUrl: string; market: MarketStory; supervision: SupervisionStory }, print: (line: string) => void): void {
  const { apiUrl, market: m, supervision: s } = o;
  const v1 = `${apiUrl}/v1`;
  print("");
  print("Where to look (log in as a member: POST /v1/auth/challenge, then /v1/auth/login with an EIP-4361 signature):");
  print(`  the index product and its lineage   ${v1}/products/${m.indexProduct}   ${v1}/products/${m.forecast}/lineage?depth=3`);
  print(`  the port data's right holders       ${v1}/resources/${m.portData}/rights`);
  print(`  the buyer's licence and validity    ${v1}/grants/${m.licenceGrant}   ${v1}/grants/${m.licenceGrant}/validity`);
  print(`  the operation authorization         ${v1}/operations/${m.authorizationId}`);
  print(`  the trade's trace                   ${v1}/traces/${key(SubjectKind.Trade, m.tradeId)}`);
  print(`  the product's trace                 ${v1}/traces/${key(SubjectKind.Product, m.indexProduct)}`);
  print(`  the listing and the trade            ${v1}/listings/${m.listingId}   ${v1}/trades/${m.tradeId}   ${v1}/entitlements`);
  print(`  the report and the dispute           ${v1}/reports/${s.reportId}   ${v1}/disputes/${s.disputeId}`);
  print(`  the dispute's trace                  ${v1}/traces/${key(SubjectKind.Dispute, s.disputeId)}`);
  print(`  statistics (regulators)             ${v1}/stats`);
  print("Evidence bundles (GET /v1/evidence/subjects/<subject>, or from this machine's index):");
  print(`  npm run drl -- evidence build --subject ${key(SubjectKind.Product, m.indexProduct)} --out index-product.bundle.json`);
  print(`  npm run drl -- evidence build --subject ${key(SubjectKind.Trade, m.tradeId)} --out trade.bundle.json`);
  print(`  npm run drl -- evidence build --dispute ${s.disputeId} --out dispute.bundle.json   (the whole dispute: subjects, parties, evidence, rulings)`);
  print("  npm run drl -- evidence verify index-product.bundle.json --trusted-rpc " + "<a node you trust>");
}
