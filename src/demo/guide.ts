import type { Deployment } from "../chain/contracts.js";
import { SubjectKind } from "../domain/enums.js";
import type { Actors } from "./actors.js";
import type { MarketStory } from "./market-story.js";

const key = (kind: number, id: bigint): string => "0x" + ((BigInt(kind) << 248n) | id).toString(16).padStart(64, "0");

/** Where to look afterwards: API routes and the evidence bundles to pull. */
export function printGuide(o: { apiUrl: string; deployment: Deployment; market: MarketStory; actors: Actors }, print: (line: string) => void): void {
  const { apiUrl, market: m } = o;
  const v1 = `${apiUrl}/v1`;
  print("");
  print("Where to look (log in as a member: POST /v1/auth/challenge, then /v1/auth/login with an EIP-4361 signature):");
  print(`  the index product and its lineage   ${v1}/products/${m.indexProduct}   ${v1}/products/${m.forecast}/lineage?depth=3`);
  print(`  the port data's right holders       ${v1}/resources/${m.portData}/rights`);
  print(`  the buyer's licence and validity    ${v1}/grants/${m.licenceGrant}   ${v1}/grants/${m.licenceGrant}/validity`);
  print(`  the operation authorization         ${v1}/operations/${m.authorizationId}`);
  print(`  the trade's trace                   ${v1}/traces/${key(SubjectKind.Trade, m.tradeId)}`);
  print(`  the product's trace                 ${v1}/traces/${key(SubjectKind.Product, m.indexProduct)}`);
  print(`  statistics (regulators)             ${v1}/stats`);
  print("Evidence bundles (GET /v1/evidence/subjects/<subject>, or from this machine's index):");
  print(`  npm run drl -- evidence build --subject ${key(SubjectKind.Product, m.indexProduct)} --out index-product.bundle.json`);
  print(`  npm run drl -- evidence build --subject ${key(SubjectKind.Trade, m.tradeId)} --out trade.bundle.json`);
  print("  npm run drl -- evidence verify index-product.bundle.json --trusted-rpc " + "<a node you trust>");
}
