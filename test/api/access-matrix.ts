import { Wallet, keccak256, toUtf8Bytes, type Signer } from "ethers";
import type { Express } from "express";
import request, { type Response } from "supertest";
import { issueToken } from "../../src/api/auth/tokens.js";
import { subjectKey } from "../../src/domain/trace.js";
import { addressesOf, type AccountName } from "../helpers/accounts.js";
import { ROLES, defaultScope, ethers, h, networkHelpers, type LedgerFixture } from "../helpers/fixtures.js";
import { Category, Domain, Grade, RightType, SubjectKind } from "../helpers/enums.js";
import { registerArgs, registerInput } from "../helpers/resources.js";
import type { ApiFixture } from "./api-fixture.js";

/*
 * The API's read-access matrix: for every route (every route of `apiRoutes(...)` plus the two document routes), which
 * callers get what status.
 *
 * A row is one request on one route: a route, a target (whose id it names) and the status each column gets. Columns
 * are an anonymous caller, the member holding each role, a member whose token was issued before its suspension, and
 * a never-admitted outsider holding a token the server signed. A row's `whose` tells, per column, whether its id is
 * the caller's own, another member's, or missing.
 *
 * To add a route: add rows here (a missing one fails the matrix test, naming the route). Ids of an id route need an
 * own, another member's and a missing row.
 */

// ==== COLUMNS ====

export const MEMBER_COLUMNS = ["GOVERNANCE", "REGULATOR", "HOLDER", "PROCESSOR", "OPERATOR", "CERTIFIER", "ARBITER"] as const;
export type MemberColumn = (typeof MEMBER_COLUMNS)[number];
export type Column = "anonymous" | MemberColumn | "suspended" | "outsider";
export const COLUMNS: readonly Column[] = ["anonymous", ...MEMBER_COLUMNS, "suspended", "outsider"];

/** The fixture account of each column but the anonymous one (a role column: the member holding only that role). */
export const COLUMN_ACCOUNT = {
  GOVERNANCE: "gov",
  REGULATOR: "regulator",
  HOLDER: "holder",
  PROCESSOR: "processor",
  OPERATOR: "operator",
  CERTIFIER: "certifier",
  ARBITER: "arbiter",
  suspended: "suspended",
  outsider: "outsider",
} as const satisfies Record<Exclude<Column, "anonymous">, AccountName>;

// ==== THE WORLD THE ROWS NAME ====

/**
 * The core scenario plus, so that every column has both its own ids and other members' ids to guess:
 *   resource 4  restricted, held by holder (only holder is a party)
 *   resource 5  restricted, held by holder2; grant 4 from holder2 to processor2 over it (no column is a party)
 *   operation authorization 1 of processor (the scenario's), 2 of processor2 over resource 2 (no column's)
 *   consent 1 on resource 3 (recorded by holder, which then transferred it to holder2), consent 2 on resource 4
 *   documents   one uploaded by each member column, one uncited by holder2, and the catalogue of resource 4
 *               uploaded by holder2 (holder reads it as the holder of the citing resource, not as uploader)
 *   market      the core scenario's market round (test/helpers/market.ts): resources 4 and 5 of holder (enterprise
 *               and public, both unrestricted), operation authorization 2 of processor over resource 5, grants 5 and
 *               8 from holder to processor; products 2 and 3 of processor; listings 1 (active), 2 (delisted by a
 *               regulator), 3 and 4 (active, price approved and rejected), all processor's; trades 1 (confirmed), 2
 *               (disputed) and 4 (confirmed) bought by processor2, 3 a procurement by operator (open)
 *   supervision the supervision scenario (test/api/supervision-world.ts; the fixture is made with supervision)
 * The `suspended` member is reinstated, signs in, uploads, and is suspended again (re-indexed) before any row runs.
 */
export interface MatrixWorld {
  app: Express;
  fx: LedgerFixture;
  addr: Record<AccountName, string>;
  /** Bearer token of each column (none for the anonymous one). */
  tokens: Partial<Record<Column, string>>;
  resources: { public: string; holderRestricted: string; holder2Restricted: string; missing: string };
  grants: { holderToProcessor: string; processorSubGrant: string; holder2ToProcessor2: string; missing: string };
  operations: { ofProcessor: string; ofProcessor2: string; missing: string };
  consents: { onHolder2Resource: string; onHolderResource: string; missing: string };
  subjects: { ledger: string; missing: string };
  market: { activeListing: string; delistedListing: string; tradeOfProcessor2: string; procurement: string; missing: string };
  documents: { ownOf: Record<Column, string>; uncitedOfHolder2: string; citedByHolderResource: string; missing: string };
}

const wait = async (p: Promise<{ wait: () => Promise<unknown> }>) => {
  await (await p).wait();
};

const docBytes = (label: string) => Buffer.from(label, "utf8");

async function upload(app: Express, token: string, label: string): Promise<string> {
  const res = await request(app).post("/v1/documents").set("Authorization", `Bearer ${token}`).set("Content-Type", "text/plain").send(docBytes(label));
  if (res.status !== 201) throw new Error(`upload of ${label} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { hash: string }).hash;
}

/** Builds the world on an API fixture (the core scenario, indexed). */
export async function buildMatrixWorld(f: ApiFixture): Promise<MatrixWorld> {
  const { fx } = f;
  const checksummed = await addressesOf(fx);
  const addr = Object.fromEntries(Object.entries(checksummed).map(([k, v]) => [k, v.toLowerCase()])) as Record<AccountName, string>;

  const holderCatalogue = "c:matrix:holder";
  await wait(fx.resources.connect(fx.holder).register(...registerArgs(registerInput({ category: Category.Personal, grade: Grade.Important, domain: Domain.Finance, catalogueHash: h(holderCatalogue), catalogueUri: "ipfs://matrix/holder" }))));
  const holderRestricted = await fx.resources.resourceCount();
  await wait(fx.resources.connect(fx.holder2).register(...registerArgs(registerInput({ grade: Grade.Important, domain: Domain.Manufacturing, catalogueHash: h("c:matrix:holder2"), catalogueUri: "ipfs://matrix/holder2" }))));
  const holder2Restricted = await fx.resources.resourceCount();
  await wait(fx.grants.connect(fx.holder2).grant(RightType.ProcessingUse, SubjectKind.Resource, holder2Restricted, checksummed.processor2, await defaultScope(), h("terms:matrix"), 0));
  const holder2Grant = await fx.grants.grantCount();
  await wait(fx.members.connect(fx.gov).grantRole(ROLES.OPERATOR, checksummed.processor2));
  const yearOn = BigInt(await networkHelpers.time.latest()) + 365n * 86400n;
  await wait(fx.operations.connect(fx.gov).authorize(checksummed.processor2, [2n], h("scenario:matrix"), h("conditions:matrix"), 0, yearOn));
  const processor2Authorization = await fx.operations.authorizationFor(checksummed.processor2, 2n);
  await wait(fx.consents.connect(fx.holder).record(holderRestricted, h("consent:matrix"), 0b1, 10, yearOn));
  const holderConsent = await fx.consents.currentConsent(holderRestricted);
  await wait(fx.members.connect(fx.gov).reinstate(checksummed.suspended, h("matrix:reinstate")));
  // Dispute 1 (holder against processor, the arbiter column's member its first-instance arbiter) comes from the
  // supervision scenario the fixture plays.
  await f.indexer.catchUp();

  const tokens: Partial<Record<Column, string>> = {};
  for (const c of [...MEMBER_COLUMNS, "suspended"] as const) tokens[c] = await f.login(fx[COLUMN_ACCOUNT[c]]);
  tokens.outsider = issueToken(f.deps.config.tokenSecret, addr.outsider, f.deps.config.tokenTtlSeconds, f.deps.now()).token;

  const ownOf = {} as Record<Column, string>;
  for (const c of COLUMNS) {
    const label = `matrix document of ${c}`;
    const token = tokens[c];
    ownOf[c] = c === "anonymous" || c === "outsider" || token === undefined ? keccak256(toUtf8Bytes(label)) : await upload(f.app, token, label);
  }
  const holder2Token = await f.login(fx.holder2);
  const uncitedOfHolder2 = await upload(f.app, holder2Token, "matrix document of holder2");
  const citedByHolderResource = await upload(f.app, holder2Token, holderCatalogue);

  // The suspended column's token was issued while it was active.
  await wait(fx.members.connect(fx.gov).suspend(checksummed.suspended, h("matrix:suspend")));
  await f.indexer.catchUp();

  return {
    app: f.app,
    fx,
    addr,
    tokens,
    resources: { public: "2", holderRestricted: holderRestricted.toString(), holder2Restricted: holder2Restricted.toString(), missing: "999" },
    grants: { holderToProcessor: "1", processorSubGrant: "2", holder2ToProcessor2: holder2Grant.toString(), missing: "999" },
    operations: { ofProcessor: "1", ofProcessor2: processor2Authorization.toString(), missing: "999" },
    consents: { onHolder2Resource: "1", onHolderResource: holderConsent.toString(), missing: "999" },
    subjects: { ledger: subjectKey(SubjectKind.Ledger, BigInt(await fx.resources.getAddress())), missing: subjectKey(SubjectKind.Grant, 999n) },
    market: { activeListing: "1", delistedListing: "2", tradeOfProcessor2: "1", procurement: "3", missing: "999" },
    documents: { ownOf, uncitedOfHolder2, citedByHolderResource, missing: keccak256(toUtf8Bytes("never uploaded")) },
  };
}

// ==== ROWS ====

/** What one cell sends. */
export interface MatrixRequest {
  path: string;
  body?: unknown;
  contentType?: string;
}

export interface CellContext {
  world: MatrixWorld;
  column: Column;
  /** The column's own account, signer and address (a fresh random key for the anonymous column). */
  signer: Signer;
  address: string;
}

/** Whose id a row names: the caller's own, that of the columns listed (another member's for the rest), or none. */
export type Whose = "caller" | "missing" | readonly Column[];

export interface MatrixRow {
  method: "get" | "post";
  /** The route as registered (express path). */
  route: string;
  target: string;
  whose?: Whose;
  request: (ctx: CellContext) => MatrixRequest | Promise<MatrixRequest>;
  expect: Readonly<Record<Column, number>>;
  /** Checks a successful body: that the data is the caller's to see (list rows). */
  check?: (body: unknown, ctx: CellContext) => void;
}

/**
 * The status of each column: `anonymous` for the anonymous caller, `members` for every role's member unless `except`
 * says otherwise. A stale token (suspended member, outsider) is refused everywhere, public routes included.
 */
export function statuses(anonymous: number, members: number, except: Partial<Record<MemberColumn, number>> = {}): Record<Column, number> {
  const out = { anonymous, suspended: 401, outsider: 401 } as Record<Column, number>;
  for (const c of MEMBER_COLUMNS) out[c] = except[c] ?? members;
  return out;
}

export type CellLabel = "own" | "another's" | "missing" | "-";
export function labelOf(row: MatrixRow, column: Column): CellLabel {
  if (row.whose === undefined) return "-";
  if (row.whose === "caller") return "own";
  if (row.whose === "missing") return "missing";
  return row.whose.includes(column) ? "own" : "another's";
}

const PUBLIC = statuses(200, 200);
const MEMBERS = statuses(401, 200);
const REGULATOR_ONLY = (anonymous: number) => statuses(anonymous, 404, { REGULATOR: 200 });

/** Asserts that a page's ids are exactly `expected` (a list row must show nothing the caller may not read). */
function pageIds(body: unknown): string[] {
  return (body as { items: { id: string }[] }).items.map((i) => i.id);
}
function sameIds(body: unknown, expected: readonly string[], what: string): void {
  const got = pageIds(body);
  if (got.join() !== expected.join()) throw new Error(`${what}: expected ids [${expected.join()}], got [${got.join()}]`);
}

/** The resources each column finds in the catalogue (regulators: all; parties: theirs; everyone: unrestricted). */
const visibleResources = (w: MatrixWorld, c: Column): string[] => {
  if (c === "REGULATOR") return ["1", "2", "3", "4", "5", w.resources.holderRestricted, w.resources.holder2Restricted];
  // holder is a party to 3: its former holder and the grantor of grant 3.
  if (c === "HOLDER") return ["1", "2", "3", "4", "5", w.resources.holderRestricted];
  return ["1", "2", "4", "5"];
};

export const MATRIX_ROWS: readonly MatrixRow[] = [
  // Products: the scenario's product 1 is processor3's, over personal data (so restricted), and the operator holds
  // its product-operation right (so is a party).
  { method: "get", route: "/v1/products", target: "the product catalogue", request: () => ({ path: "/v1/products" }), expect: PUBLIC },
  ...["", "/lineage"].flatMap((sub): MatrixRow[] => [
    { method: "get", route: `/v1/products/:productId${sub}`, target: "restricted product 1 of processor3", whose: ["OPERATOR"], request: () => ({ path: `/v1/products/1${sub}` }), expect: statuses(404, 404, { REGULATOR: 200, OPERATOR: 200 }) },
    { method: "get", route: `/v1/products/:productId${sub}`, target: "a missing product", whose: "missing", request: () => ({ path: `/v1/products/999${sub}` }), expect: statuses(404, 404) },
  ]),
  // ---- ops ----
  { method: "get", route: "/health", target: "-", request: () => ({ path: "/health" }), expect: PUBLIC },
  { method: "get", route: "/ready", target: "-", request: () => ({ path: "/ready" }), expect: PUBLIC },
  { method: "get", route: "/status", target: "-", request: () => ({ path: "/status" }), expect: PUBLIC },

  // ---- auth ----
  { method: "post", route: "/v1/auth/challenge", target: "a challenge for the caller's own account", whose: "caller", request: ({ address }) => ({ path: "/v1/auth/challenge", body: { address } }), expect: PUBLIC },
  {
    method: "post",
    route: "/v1/auth/login",
    target: "a challenge signed with the caller's own key (anonymous: a key that is no member's)",
    whose: "caller",
    request: async ({ world, signer, address }) => {
      const c = await request(world.app).post("/v1/auth/challenge").send({ address });
      const message = (c.body as { message: string }).message;
      return { path: "/v1/auth/login", body: { message, signature: await signer.signMessage(message) } };
    },
    expect: statuses(401, 200),
  },

  // ---- members ----
  { method: "get", route: "/v1/members", target: "the directory", request: () => ({ path: "/v1/members" }), expect: MEMBERS },
  { method: "get", route: "/v1/members/:address", target: "the caller's own entry", whose: "caller", request: ({ address }) => ({ path: `/v1/members/${address}` }), expect: MEMBERS },
  { method: "get", route: "/v1/members/:address", target: "holder2's entry", whose: [], request: ({ world }) => ({ path: `/v1/members/${world.addr.holder2}` }), expect: MEMBERS },
  { method: "get", route: "/v1/members/:address", target: "a non-member's address", whose: "missing", request: ({ world }) => ({ path: `/v1/members/${world.addr.outsider}` }), expect: statuses(401, 404) },

  // ---- resources ----
  {
    method: "get",
    route: "/v1/resources",
    target: "the catalogue",
    request: () => ({ path: "/v1/resources" }),
    expect: PUBLIC,
    check: (body, { world, column }) => sameIds(body, visibleResources(world, column), `catalogue of ${column}`),
  },
  {
    method: "get",
    route: "/v1/resources",
    target: "holder2's resources",
    request: ({ world }) => ({ path: `/v1/resources?holder=${world.addr.holder2}` }),
    expect: PUBLIC,
    check: (body, { world, column }) => sameIds(body, visibleResources(world, column).filter((id) => ["3", world.resources.holder2Restricted].includes(id)), `holder2's resources for ${column}`),
  },
  ...(["", "/versions"] as const).flatMap((sub): MatrixRow[] => [
    { method: "get", route: `/v1/resources/:resourceId${sub}`, target: "public resource 2 of holder", whose: ["HOLDER", "PROCESSOR"], request: ({ world }) => ({ path: `/v1/resources/${world.resources.public}${sub}` }), expect: PUBLIC },
    { method: "get", route: `/v1/resources/:resourceId${sub}`, target: "restricted resource of holder", whose: ["HOLDER"], request: ({ world }) => ({ path: `/v1/resources/${world.resources.holderRestricted}${sub}` }), expect: statuses(404, 404, { REGULATOR: 200, HOLDER: 200 }) },
    { method: "get", route: `/v1/resources/:resourceId${sub}`, target: "restricted resource of holder2", whose: [], request: ({ world }) => ({ path: `/v1/resources/${world.resources.holder2Restricted}${sub}` }), expect: REGULATOR_ONLY(404) },
    { method: "get", route: `/v1/resources/:resourceId${sub}`, target: "a missing resource", whose: "missing", request: ({ world }) => ({ path: `/v1/resources/${world.resources.missing}${sub}` }), expect: statuses(404, 404) },
  ]),
  ...(["/objections", "/rights"] as const).flatMap((sub): MatrixRow[] => [
    { method: "get", route: `/v1/resources/:resourceId${sub}`, target: "public resource 2 of holder", whose: ["HOLDER", "PROCESSOR"], request: ({ world }) => ({ path: `/v1/resources/${world.resources.public}${sub}` }), expect: statuses(401, 404, { REGULATOR: 200, HOLDER: 200, PROCESSOR: 200 }) },
    { method: "get", route: `/v1/resources/:resourceId${sub}`, target: "restricted resource of holder", whose: ["HOLDER"], request: ({ world }) => ({ path: `/v1/resources/${world.resources.holderRestricted}${sub}` }), expect: statuses(401, 404, { REGULATOR: 200, HOLDER: 200 }) },
    { method: "get", route: `/v1/resources/:resourceId${sub}`, target: "restricted resource of holder2", whose: [], request: ({ world }) => ({ path: `/v1/resources/${world.resources.holder2Restricted}${sub}` }), expect: REGULATOR_ONLY(401) },
    { method: "get", route: `/v1/resources/:resourceId${sub}`, target: "a missing resource", whose: "missing", request: ({ world }) => ({ path: `/v1/resources/${world.resources.missing}${sub}` }), expect: statuses(401, 404) },
  ]),

  // ---- grants ----
  {
    method: "get",
    route: "/v1/grants",
    target: "the grants the caller received",
    whose: "caller",
    request: () => ({ path: "/v1/grants" }),
    expect: MEMBERS,
    // processor also received grants 5 and 8 over the market round's resources.
    check: (body, { column }) => sameIds(body, column === "PROCESSOR" ? ["1", "5", "8"] : column === "OPERATOR" ? ["4"] : [], `grants received by ${column}`),
  },
  { method: "get", route: "/v1/grants", target: "the grants holder2 gave", whose: [], request: ({ world }) => ({ path: `/v1/grants?member=${world.addr.holder2}&role=grantor` }), expect: REGULATOR_ONLY(401) },
  {
    method: "get",
    route: "/v1/grants",
    target: "the grants over holder2's restricted resource",
    whose: [],
    request: ({ world }) => ({ path: `/v1/grants?resourceId=${world.resources.holder2Restricted}` }),
    expect: MEMBERS,
    check: (body, { world, column }) => sameIds(body, column === "REGULATOR" ? [world.grants.holder2ToProcessor2] : [], `grants over holder2's resource for ${column}`),
  },
  { method: "get", route: "/v1/grants", target: "the grants of a non-member", whose: "missing", request: ({ world }) => ({ path: `/v1/grants?member=${world.addr.outsider}` }), expect: REGULATOR_ONLY(401), check: (body) => sameIds(body, [], "grants of a non-member") },
  ...(["", "/validity", "/impact"] as const).flatMap((sub): MatrixRow[] => [
    { method: "get", route: `/v1/grants/:grantId${sub}`, target: "grant 1, holder to processor", whose: ["HOLDER", "PROCESSOR"], request: ({ world }) => ({ path: `/v1/grants/${world.grants.holderToProcessor}${sub}` }), expect: statuses(401, 404, { REGULATOR: 200, HOLDER: 200, PROCESSOR: 200 }) },
    { method: "get", route: `/v1/grants/:grantId${sub}`, target: "grant 2, processor to processor2 (below grant 1)", whose: ["HOLDER", "PROCESSOR"], request: ({ world }) => ({ path: `/v1/grants/${world.grants.processorSubGrant}${sub}` }), expect: statuses(401, 404, { REGULATOR: 200, HOLDER: 200, PROCESSOR: 200 }) },
    { method: "get", route: `/v1/grants/:grantId${sub}`, target: "holder2's grant to processor2", whose: [], request: ({ world }) => ({ path: `/v1/grants/${world.grants.holder2ToProcessor2}${sub}` }), expect: REGULATOR_ONLY(401) },
    { method: "get", route: `/v1/grants/:grantId${sub}`, target: "a missing grant", whose: "missing", request: ({ world }) => ({ path: `/v1/grants/${world.grants.missing}${sub}` }), expect: statuses(401, 404) },
  ]),

  // ---- operation authorizations: the operator's own, regulators all ----
  {
    method: "get",
    route: "/v1/operations",
    target: "the caller's own authorizations",
    whose: "caller",
    request: () => ({ path: "/v1/operations" }),
    expect: MEMBERS,
    check: (body, { world, column }) =>
      // Authorization 2 is processor's, over the market round's public resource.
      sameIds(body, column === "REGULATOR" ? [world.operations.ofProcessor, "2", world.operations.ofProcessor2] : column === "PROCESSOR" ? [world.operations.ofProcessor, "2"] : [], `authorizations seen by ${column}`),
  },
  { method: "get", route: "/v1/operations", target: "processor2's authorizations", whose: [], request: ({ world }) => ({ path: `/v1/operations?operator=${world.addr.processor2}` }), expect: REGULATOR_ONLY(401), check: (body, { world }) => sameIds(body, [world.operations.ofProcessor2], "processor2's authorizations") },
  ...(["", "/impact"] as const).flatMap((sub): MatrixRow[] => [
    { method: "get", route: `/v1/operations/:authorizationId${sub}`, target: "authorization 1 of processor", whose: ["PROCESSOR"], request: ({ world }) => ({ path: `/v1/operations/${world.operations.ofProcessor}${sub}` }), expect: statuses(401, 404, { REGULATOR: 200, PROCESSOR: 200 }) },
    { method: "get", route: `/v1/operations/:authorizationId${sub}`, target: "the authorization of processor2", whose: [], request: ({ world }) => ({ path: `/v1/operations/${world.operations.ofProcessor2}${sub}` }), expect: REGULATOR_ONLY(401) },
    { method: "get", route: `/v1/operations/:authorizationId${sub}`, target: "a missing authorization", whose: "missing", request: ({ world }) => ({ path: `/v1/operations/${world.operations.missing}${sub}` }), expect: statuses(401, 404) },
  ]),

  // ---- consents: regulators, the resource's holder and the member that recorded it ----
  {
    method: "get",
    route: "/v1/consents",
    target: "the consents the caller may read",
    whose: "caller",
    request: () => ({ path: "/v1/consents" }),
    expect: MEMBERS,
    check: (body, { world, column }) =>
      sameIds(body, column === "REGULATOR" || column === "HOLDER" ? [world.consents.onHolder2Resource, world.consents.onHolderResource] : [], `consents seen by ${column}`),
  },
  {
    method: "get",
    route: "/v1/consents",
    target: "the consents on holder's restricted resource",
    whose: ["HOLDER"],
    request: ({ world }) => ({ path: `/v1/consents?resourceId=${world.resources.holderRestricted}` }),
    expect: MEMBERS,
    check: (body, { world, column }) => sameIds(body, column === "REGULATOR" || column === "HOLDER" ? [world.consents.onHolderResource] : [], `consents on resource ${world.resources.holderRestricted} for ${column}`),
  },
  ...(["", "/impact"] as const).flatMap((sub): MatrixRow[] => [
    { method: "get", route: `/v1/consents/:consentId${sub}`, target: "consent 2 on holder's resource", whose: ["HOLDER"], request: ({ world }) => ({ path: `/v1/consents/${world.consents.onHolderResource}${sub}` }), expect: statuses(401, 404, { REGULATOR: 200, HOLDER: 200 }) },
    { method: "get", route: `/v1/consents/:consentId${sub}`, target: "consent 1 on holder2's resource (recorded by holder)", whose: ["HOLDER"], request: ({ world }) => ({ path: `/v1/consents/${world.consents.onHolder2Resource}${sub}` }), expect: statuses(401, 404, { REGULATOR: 200, HOLDER: 200 }) },
    { method: "get", route: `/v1/consents/:consentId${sub}`, target: "a missing consent", whose: "missing", request: ({ world }) => ({ path: `/v1/consents/${world.consents.missing}${sub}` }), expect: statuses(401, 404) },
  ]),

  // ---- market: active listings are public, delisted ones their seller's (and buyers') and regulators' ----
  {
    method: "get",
    route: "/v1/listings",
    target: "the market catalogue",
    request: () => ({ path: "/v1/listings" }),
    expect: PUBLIC,
    check: (body, { column }) => sameIds(body, column === "REGULATOR" || column === "PROCESSOR" ? ["1", "2", "3", "4"] : ["1", "3", "4"], `listings seen by ${column}`),
  },
  {
    method: "get",
    route: "/v1/listings",
    target: "delisted listings",
    request: () => ({ path: "/v1/listings?status=Delisted" }),
    expect: PUBLIC,
    check: (body, { world, column }) => sameIds(body, column === "REGULATOR" || column === "PROCESSOR" ? [world.market.delistedListing] : [], `delisted listings seen by ${column}`),
  },
  { method: "get", route: "/v1/listings/:listingId", target: "active listing 1 of processor", whose: ["PROCESSOR"], request: ({ world }) => ({ path: `/v1/listings/${world.market.activeListing}` }), expect: PUBLIC },
  { method: "get", route: "/v1/listings/:listingId", target: "listing 2 of processor, delisted", whose: ["PROCESSOR"], request: ({ world }) => ({ path: `/v1/listings/${world.market.delistedListing}` }), expect: statuses(404, 404, { REGULATOR: 200, PROCESSOR: 200 }) },
  { method: "get", route: "/v1/listings/:listingId", target: "a missing listing", whose: "missing", request: ({ world }) => ({ path: `/v1/listings/${world.market.missing}` }), expect: statuses(404, 404) },

  // ---- market: trades are their buyer's and seller's, and the regulators' ----
  {
    method: "get",
    route: "/v1/trades",
    target: "the caller's own trades",
    whose: "caller",
    request: () => ({ path: "/v1/trades" }),
    expect: MEMBERS,
    check: (body, { column }) => sameIds(body, column === "REGULATOR" || column === "PROCESSOR" ? ["1", "2", "3", "4"] : column === "OPERATOR" ? ["3"] : [], `trades seen by ${column}`),
  },
  { method: "get", route: "/v1/trades", target: "processor2's trades", whose: [], request: ({ world }) => ({ path: `/v1/trades?party=${world.addr.processor2}` }), expect: REGULATOR_ONLY(401), check: (body) => sameIds(body, ["1", "2", "4"], "processor2's trades") },
  { method: "get", route: "/v1/trades/:tradeId", target: "trade 1, processor2 buying from processor", whose: ["PROCESSOR"], request: ({ world }) => ({ path: `/v1/trades/${world.market.tradeOfProcessor2}` }), expect: statuses(401, 404, { REGULATOR: 200, PROCESSOR: 200 }) },
  { method: "get", route: "/v1/trades/:tradeId", target: "trade 3, operator procuring from processor", whose: ["PROCESSOR", "OPERATOR"], request: ({ world }) => ({ path: `/v1/trades/${world.market.procurement}` }), expect: statuses(401, 404, { REGULATOR: 200, PROCESSOR: 200, OPERATOR: 200 }) },
  { method: "get", route: "/v1/trades/:tradeId", target: "a missing trade", whose: "missing", request: ({ world }) => ({ path: `/v1/trades/${world.market.missing}` }), expect: statuses(401, 404) },
  {
    method: "get",
    route: "/v1/entitlements",
    target: "the caller's own entitlements",
    whose: "caller",
    request: () => ({ path: "/v1/entitlements" }),
    expect: MEMBERS,
    check: (body, { address, column }) => {
      const b = body as { party: string; items: { party: string }[] };
      if (b.party !== address || b.items.some((i) => i.party !== address)) throw new Error(`entitlements of ${column} show another party's`);
      // holder is owed as input holder, processor as seller, governance as public beneficiary.
      if (["HOLDER", "PROCESSOR", "GOVERNANCE"].includes(column) !== b.items.length > 0) throw new Error(`entitlements of ${column}: ${b.items.length} items`);
    },
  },
  { method: "get", route: "/v1/entitlements", target: "holder's entitlements", whose: ["HOLDER"], request: ({ world }) => ({ path: `/v1/entitlements?party=${world.addr.holder}` }), expect: statuses(401, 404, { REGULATOR: 200, HOLDER: 200 }) },

  // ---- admission: the positive list is public, the rest is for members ----
  { method: "get", route: "/v1/admission/positive-list", target: "-", request: () => ({ path: "/v1/admission/positive-list" }), expect: PUBLIC },
  { method: "get", route: "/v1/admission/negative-list", target: "-", request: () => ({ path: "/v1/admission/negative-list" }), expect: MEMBERS },
  { method: "get", route: "/v1/admission/settings", target: "-", request: () => ({ path: "/v1/admission/settings" }), expect: MEMBERS },
  { method: "get", route: "/v1/ratings", target: "the ratings of product 2", request: () => ({ path: "/v1/ratings?product=2" }), expect: MEMBERS },

  // ---- traces ----
  { method: "get", route: "/v1/traces/:subject", target: "the caller's own member trace", whose: "caller", request: ({ address }) => ({ path: `/v1/traces/${subjectKey(SubjectKind.Member, BigInt(address))}` }), expect: MEMBERS },
  { method: "get", route: "/v1/traces/:subject", target: "holder2's member trace", whose: [], request: ({ world }) => ({ path: `/v1/traces/${subjectKey(SubjectKind.Member, BigInt(world.addr.holder2))}` }), expect: statuses(401, 404, { REGULATOR: 200, GOVERNANCE: 200 }) },
  { method: "get", route: "/v1/traces/:subject", target: "the trace of holder's restricted resource", whose: ["HOLDER"], request: ({ world }) => ({ path: `/v1/traces/${subjectKey(SubjectKind.Resource, BigInt(world.resources.holderRestricted))}` }), expect: statuses(401, 404, { REGULATOR: 200, HOLDER: 200 }) },
  { method: "get", route: "/v1/traces/:subject", target: "the trace of holder2's grant", whose: [], request: ({ world }) => ({ path: `/v1/traces/${subjectKey(SubjectKind.Grant, BigInt(world.grants.holder2ToProcessor2))}` }), expect: REGULATOR_ONLY(401) },
  { method: "get", route: "/v1/traces/:subject", target: "the trace of the resource registry (ledger subject)", whose: ["GOVERNANCE"], request: ({ world }) => ({ path: `/v1/traces/${world.subjects.ledger}` }), expect: statuses(401, 404, { REGULATOR: 200, GOVERNANCE: 200 }) },
  { method: "get", route: "/v1/traces/:subject", target: "the trace of trade 3, operator procuring from processor", whose: ["PROCESSOR", "OPERATOR"], request: ({ world }) => ({ path: `/v1/traces/${subjectKey(SubjectKind.Trade, BigInt(world.market.procurement))}` }), expect: statuses(401, 404, { REGULATOR: 200, PROCESSOR: 200, OPERATOR: 200 }) },
  { method: "get", route: "/v1/traces/:subject", target: "the trace of listing 2 of processor, delisted", whose: ["PROCESSOR"], request: ({ world }) => ({ path: `/v1/traces/${subjectKey(SubjectKind.Listing, BigInt(world.market.delistedListing))}` }), expect: statuses(401, 404, { REGULATOR: 200, PROCESSOR: 200 }) },
  { method: "get", route: "/v1/traces/:subject", target: "the trace of active listing 1 of processor", whose: ["PROCESSOR"], request: ({ world }) => ({ path: `/v1/traces/${subjectKey(SubjectKind.Listing, BigInt(world.market.activeListing))}` }), expect: MEMBERS },
  { method: "get", route: "/v1/evidence/subjects/:subject", target: "trade 1, processor2 buying from processor", whose: ["PROCESSOR"], request: ({ world }) => ({ path: `/v1/evidence/subjects/${subjectKey(SubjectKind.Trade, BigInt(world.market.tradeOfProcessor2))}` }), expect: statuses(401, 404, { REGULATOR: 200, PROCESSOR: 200 }) },
  { method: "get", route: "/v1/traces/:subject", target: "a subject without a trace", whose: "missing", request: ({ world }) => ({ path: `/v1/traces/${world.subjects.missing}` }), expect: statuses(401, 404) },

  // ---- evidence ----
  { method: "get", route: "/v1/evidence/disputes/:id", target: "dispute 1, holder against processor, arbiter assigned", whose: ["HOLDER", "PROCESSOR", "ARBITER"], request: () => ({ path: "/v1/evidence/disputes/1" }), expect: statuses(401, 404, { REGULATOR: 200, HOLDER: 200, PROCESSOR: 200, ARBITER: 200 }) },
  { method: "get", route: "/v1/evidence/disputes/:id", target: "a dispute never opened", whose: "missing", request: () => ({ path: "/v1/evidence/disputes/999" }), expect: statuses(401, 404) },
  { method: "get", route: "/v1/evidence/subjects/:subject", target: "the caller's own member subject", whose: "caller", request: ({ address }) => ({ path: `/v1/evidence/subjects/${subjectKey(SubjectKind.Member, BigInt(address))}` }), expect: MEMBERS },
  { method: "get", route: "/v1/evidence/subjects/:subject", target: "grant 1, holder to processor", whose: ["HOLDER", "PROCESSOR"], request: ({ world }) => ({ path: `/v1/evidence/subjects/${subjectKey(SubjectKind.Grant, BigInt(world.grants.holderToProcessor))}` }), expect: statuses(401, 404, { REGULATOR: 200, HOLDER: 200, PROCESSOR: 200 }) },
  { method: "get", route: "/v1/evidence/subjects/:subject", target: "holder2's grant to processor2", whose: [], request: ({ world }) => ({ path: `/v1/evidence/subjects/${subjectKey(SubjectKind.Grant, BigInt(world.grants.holder2ToProcessor2))}` }), expect: REGULATOR_ONLY(401) },
  { method: "get", route: "/v1/evidence/subjects/:subject", target: "a subject without a trace", whose: "missing", request: ({ world }) => ({ path: `/v1/evidence/subjects/${world.subjects.missing}` }), expect: statuses(401, 404) },
  {
    method: "post",
    route: "/v1/evidence/verify",
    target: "a genuine bundle of grant 1 (verifying needs no sign-in)",
    request: async ({ world }) => {
      const res = await request(world.app).get(`/v1/evidence/subjects/${subjectKey(SubjectKind.Grant, BigInt(world.grants.holderToProcessor))}`).set("Authorization", `Bearer ${world.tokens.REGULATOR}`);
      const bundle = res.body as { anchor: { number: number } };
      // The hash the verifier trusts comes from the chain, not from the bundle.
      const trusted = (await ethers.provider.getBlock(bundle.anchor.number))!.hash!;
      return { path: "/v1/evidence/verify", body: { bundle, trustedBlockHash: trusted } };
    },
    expect: PUBLIC,
    check: (body) => {
      if ((body as { ok: boolean }).ok !== true) throw new Error(`a genuine bundle did not verify: ${JSON.stringify(body).slice(0, 300)}`);
    },
  },
  { method: "post", route: "/v1/evidence/verify", target: "a body that is no bundle", request: () => ({ path: "/v1/evidence/verify", body: { bundle: {}, trustedBlockHash: "0x" + "0".repeat(64) } }), expect: statuses(400, 400) },

  // ---- supervision (test/api/supervision-world.ts): reports 1 (holder's), 2 (confidential, relayed by operator),
  // 3 (processor2's); disputes 1 (holder v processor, arbiter its first-instance arbiter) and 2 (holder2 v processor2) ----
  {
    method: "get",
    route: "/v1/reports",
    target: "the reports the caller may read",
    whose: "caller",
    request: () => ({ path: "/v1/reports" }),
    expect: MEMBERS,
    check: (body, { column }) => sameIds(body, column === "REGULATOR" ? ["1", "2", "3"] : column === "HOLDER" ? ["1"] : [], `reports seen by ${column}`),
  },
  { method: "get", route: "/v1/reports/:reportId", target: "report 1, filed by holder", whose: ["HOLDER"], request: () => ({ path: "/v1/reports/1" }), expect: statuses(401, 404, { REGULATOR: 200, HOLDER: 200 }) },
  { method: "get", route: "/v1/reports/:reportId", target: "report 2, confidential, relayed by operator", whose: [], request: () => ({ path: "/v1/reports/2" }), expect: REGULATOR_ONLY(401) },
  { method: "get", route: "/v1/reports/:reportId", target: "report 3, filed by processor2", whose: [], request: () => ({ path: "/v1/reports/3" }), expect: REGULATOR_ONLY(401) },
  { method: "get", route: "/v1/reports/:reportId", target: "a missing report", whose: "missing", request: () => ({ path: "/v1/reports/999" }), expect: statuses(401, 404) },
  {
    method: "get",
    route: "/v1/disputes",
    target: "the disputes the caller is a party to or arbiter of",
    whose: "caller",
    request: () => ({ path: "/v1/disputes" }),
    expect: MEMBERS,
    check: (body, { column }) => sameIds(body, column === "REGULATOR" ? ["1", "2"] : ["HOLDER", "PROCESSOR", "ARBITER"].includes(column) ? ["1"] : [], `disputes seen by ${column}`),
  },
  { method: "get", route: "/v1/disputes", target: "processor2's disputes", whose: [], request: ({ world }) => ({ path: `/v1/disputes?party=${world.addr.processor2}` }), expect: REGULATOR_ONLY(401), check: (body) => sameIds(body, ["2"], "processor2's disputes") },
  { method: "get", route: "/v1/disputes/:disputeId", target: "dispute 1, holder v processor, arbiter's", whose: ["HOLDER", "PROCESSOR", "ARBITER"], request: () => ({ path: "/v1/disputes/1" }), expect: statuses(401, 404, { REGULATOR: 200, HOLDER: 200, PROCESSOR: 200, ARBITER: 200 }) },
  { method: "get", route: "/v1/disputes/:disputeId", target: "dispute 2, holder2 v processor2", whose: [], request: () => ({ path: "/v1/disputes/2" }), expect: REGULATOR_ONLY(401) },
  { method: "get", route: "/v1/disputes/:disputeId", target: "a missing dispute", whose: "missing", request: () => ({ path: "/v1/disputes/999" }), expect: statuses(401, 404) },
  { method: "get", route: "/v1/sanctions", target: "-", request: () => ({ path: "/v1/sanctions" }), expect: statuses(401, 403, { REGULATOR: 200 }) },
  { method: "get", route: "/v1/severe-proposals", target: "-", request: () => ({ path: "/v1/severe-proposals" }), expect: statuses(401, 403, { REGULATOR: 200, ARBITER: 200 }) },
  { method: "get", route: "/v1/traces/:subject", target: "the trace of dispute 1", whose: ["HOLDER", "PROCESSOR", "ARBITER"], request: () => ({ path: `/v1/traces/${subjectKey(SubjectKind.Dispute, 1n)}` }), expect: statuses(401, 404, { REGULATOR: 200, HOLDER: 200, PROCESSOR: 200, ARBITER: 200 }) },
  { method: "get", route: "/v1/traces/:subject", target: "the trace of confidential report 2", whose: [], request: () => ({ path: `/v1/traces/${subjectKey(SubjectKind.Report, 2n)}` }), expect: REGULATOR_ONLY(401) },
  { method: "get", route: "/v1/evidence/subjects/:subject", target: "report 1, filed by holder", whose: ["HOLDER"], request: () => ({ path: `/v1/evidence/subjects/${subjectKey(SubjectKind.Report, 1n)}` }), expect: statuses(401, 404, { REGULATOR: 200, HOLDER: 200 }) },

  // ---- stats ----
  { method: "get", route: "/v1/stats", target: "-", request: () => ({ path: "/v1/stats?dimension=members" }), expect: statuses(401, 403, { REGULATOR: 200 }) },

  // ---- documents ----
  { method: "post", route: "/v1/documents", target: "a new document", request: ({ column }) => ({ path: "/v1/documents", body: docBytes(`matrix upload by ${column}`), contentType: "text/plain" }), expect: statuses(401, 201) },
  { method: "get", route: "/v1/documents/:hash", target: "a document the caller uploaded", whose: "caller", request: ({ world, column }) => ({ path: `/v1/documents/${world.documents.ownOf[column]}` }), expect: MEMBERS },
  { method: "get", route: "/v1/documents/:hash", target: "an uncited document of holder2", whose: [], request: ({ world }) => ({ path: `/v1/documents/${world.documents.uncitedOfHolder2}` }), expect: REGULATOR_ONLY(401) },
  { method: "get", route: "/v1/documents/:hash", target: "the catalogue of holder's restricted resource (uploaded by holder2)", whose: ["HOLDER"], request: ({ world }) => ({ path: `/v1/documents/${world.documents.citedByHolderResource}` }), expect: statuses(401, 404, { REGULATOR: 200, HOLDER: 200 }) },
  { method: "get", route: "/v1/documents/:hash", target: "a document never uploaded", whose: "missing", request: ({ world }) => ({ path: `/v1/documents/${world.documents.missing}` }), expect: statuses(401, 404) },
];

/** The context of one cell. */
export async function cellContext(world: MatrixWorld, column: Column): Promise<CellContext> {
  const signer: Signer = column === "anonymous" ? Wallet.createRandom() : world.fx[COLUMN_ACCOUNT[column]];
  return { world, column, signer, address: (await signer.getAddress()).toLowerCase() };
}

/** Sends one cell's request: the row's request as the column (its bearer token, if it has one). */
export async function sendCell(world: MatrixWorld, row: MatrixRow, column: Column): Promise<{ ctx: CellContext; path: string; res: Response }> {
  const ctx = await cellContext(world, column);
  const r = await row.request(ctx);
  let req = row.method === "post" ? request(world.app).post(r.path) : request(world.app).get(r.path);
  const token = world.tokens[column];
  if (token !== undefined) req = req.set("Authorization", `Bearer ${token}`);
  if (r.contentType !== undefined) req = req.set("Content-Type", r.contentType);
  const res = r.body === undefined ? await req : await req.send(r.body as object);
  return { ctx, path: r.path, res };
}

/** The document routes, registered by hand beside the declared ones (src/api/routes/documents.ts). */
export const DOCUMENT_ROUTES = ["post /v1/documents", "get /v1/documents/:hash"] as const;
/** Routes of the app that serve no ledger data: the OpenAPI document and the metrics. */
export const NON_API_ROUTES = ["get /openapi.json", "get /metrics"] as const;
