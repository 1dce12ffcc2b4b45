import { expect } from "chai";
import { keccak256 } from "ethers";
import request, { type Response } from "supertest";
import { apiRoutes } from "../../src/api/app.js";
import { NonceStore } from "../../src/api/auth/nonces.js";
import { STAT_DIMENSIONS } from "../../src/services/stats.js";
import { SubjectKind } from "../../src/domain/enums.js";
import { subjectKey } from "../../src/domain/trace.js";
import { ethers } from "../helpers/fixtures.js";
import { apiFixture, type ApiFixture } from "./api-fixture.js";
import { COLUMNS, DOCUMENT_ROUTES, MATRIX_ROWS, buildMatrixWorld, sendCell, type MatrixWorld } from "./access-matrix.js";

/*
 * The OpenAPI document against the API's actual answers: every response of the scenario requests below and of the
 * whole access matrix is checked against /openapi.json: its status must be documented for the operation, and its
 * body must validate against the documented schema (draft 2020-12, as zod 4's z.toJSONSchema writes it).
 */

// ==== A SMALL DRAFT 2020-12 VALIDATOR ====

type Schema = boolean | { [keyword: string]: unknown };
type Json = unknown;

/** Keywords that only annotate. */
const ANNOTATIONS = new Set(["$schema", "$id", "$comment", "$defs", "title", "description", "default", "examples", "format", "readOnly", "writeOnly", "deprecated", "contentMediaType", "contentEncoding"]);
/** Keywords the validator checks. Any other keyword throws: a constraint must never be skipped silently. */
const ASSERTIONS = new Set([
  "$ref",
  "type",
  "enum",
  "const",
  "pattern",
  "minLength",
  "maxLength",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "items",
  "prefixItems",
  "minItems",
  "maxItems",
  "properties",
  "required",
  "additionalProperties",
  "propertyNames",
  "minProperties",
  "maxProperties",
  "anyOf",
  "oneOf",
  "allOf",
  "not",
]);

const isObject = (v: Json): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);
const deepEqual = (a: Json, b: Json): boolean => JSON.stringify(a) === JSON.stringify(b);

function typeMatches(type: string, v: Json): boolean {
  switch (type) {
    case "null":
      return v === null;
    case "boolean":
      return typeof v === "boolean";
    case "string":
      return typeof v === "string";
    case "number":
      return typeof v === "number" && Number.isFinite(v);
    case "integer":
      return typeof v === "number" && Number.isInteger(v);
    case "array":
      return Array.isArray(v);
    case "object":
      return isObject(v);
    default:
      throw new Error(`unknown JSON Schema type ${type}`);
  }
}

/** Resolves a local JSON pointer ("#/a/b") in the first of `roots` that has it. */
function resolveRef(ref: string, roots: readonly Json[]): Schema {
  if (!ref.startsWith("#/")) throw new Error(`only local $ref is supported: ${ref}`);
  const parts = ref.slice(2).split("/").map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  for (const root of roots) {
    let at: Json = root;
    for (const p of parts) at = isObject(at) ? at[p] : undefined;
    if (at !== undefined) return at as Schema;
  }
  throw new Error(`unresolved $ref ${ref}`);
}

/** The errors of `value` against `schema` (empty when valid). `roots` resolve $ref: the schema's own root, then the document. */
export function validate(schema: Schema, value: Json, roots: readonly Json[], at = "$"): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${at}: no value is allowed here`];
  const errors: string[] = [];
  for (const k of Object.keys(schema)) if (!ANNOTATIONS.has(k) && !ASSERTIONS.has(k)) throw new Error(`unsupported JSON Schema keyword "${k}" at ${at}`);
  const s = schema as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (s.$ref !== undefined) errors.push(...validate(resolveRef(s.$ref, roots), value, roots, at));
  if (s.type !== undefined) {
    const types: string[] = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.some((t) => typeMatches(t, value))) return [...errors, `${at}: expected ${types.join(" or ")}, got ${JSON.stringify(value)?.slice(0, 60)}`];
  }
  if (s.enum !== undefined && !(s.enum as Json[]).some((e) => deepEqual(e, value))) errors.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(s.enum)}`);
  if (s.const !== undefined && !deepEqual(s.const, value)) errors.push(`${at}: expected ${JSON.stringify(s.const)}`);
  if (typeof value === "string") {
    if (s.pattern !== undefined && !new RegExp(s.pattern, "u").test(value)) errors.push(`${at}: "${value.slice(0, 60)}" does not match ${s.pattern}`);
    const length = [...value].length;
    if (s.minLength !== undefined && length < s.minLength) errors.push(`${at}: shorter than ${s.minLength}`);
    if (s.maxLength !== undefined && length > s.maxLength) errors.push(`${at}: longer than ${s.maxLength}`);
  }
  if (typeof value === "number") {
    if (s.minimum !== undefined && value < s.minimum) errors.push(`${at}: below ${s.minimum}`);
    if (s.maximum !== undefined && value > s.maximum) errors.push(`${at}: above ${s.maximum}`);
    if (s.exclusiveMinimum !== undefined && value <= s.exclusiveMinimum) errors.push(`${at}: not above ${s.exclusiveMinimum}`);
    if (s.exclusiveMaximum !== undefined && value >= s.exclusiveMaximum) errors.push(`${at}: not below ${s.exclusiveMaximum}`);
    if (s.multipleOf !== undefined && !Number.isInteger(value / s.multipleOf)) errors.push(`${at}: not a multiple of ${s.multipleOf}`);
  }
  if (Array.isArray(value)) {
    const prefix: Schema[] = s.prefixItems ?? [];
    value.forEach((item, i) => {
      if (i < prefix.length) errors.push(...validate(prefix[i]!, item, roots, `${at}[${i}]`));
      else if (s.items !== undefined) errors.push(...validate(s.items, item, roots, `${at}[${i}]`));
    });
    if (s.minItems !== undefined && value.length < s.minItems) errors.push(`${at}: fewer than ${s.minItems} items`);
    if (s.maxItems !== undefined && value.length > s.maxItems) errors.push(`${at}: more than ${s.maxItems} items`);
  }
  if (isObject(value)) {
    const props: Record<string, Schema> = s.properties ?? {};
    for (const r of (s.required as string[] | undefined) ?? []) if (!(r in value)) errors.push(`${at}: missing required "${r}"`);
    for (const [k, v] of Object.entries(value)) {
      if (k in props) errors.push(...validate(props[k]!, v, roots, `${at}.${k}`));
      else if (s.additionalProperties !== undefined) {
        const more = validate(s.additionalProperties, v, roots, `${at}.${k}`);
        errors.push(...(s.additionalProperties === false ? [`${at}: property "${k}" is not documented`] : more));
      }
      if (s.propertyNames !== undefined) errors.push(...validate(s.propertyNames, k, roots, `${at} (name "${k}")`));
    }
    const n = Object.keys(value).length;
    if (s.minProperties !== undefined && n < s.minProperties) errors.push(`${at}: fewer than ${s.minProperties} properties`);
    if (s.maxProperties !== undefined && n > s.maxProperties) errors.push(`${at}: more than ${s.maxProperties} properties`);
  }
  if (s.allOf !== undefined) for (const sub of s.allOf as Schema[]) errors.push(...validate(sub, value, roots, at));
  if (s.anyOf !== undefined && !(s.anyOf as Schema[]).some((sub) => validate(sub, value, roots, at).length === 0)) errors.push(`${at}: matches none of anyOf`);
  if (s.oneOf !== undefined && (s.oneOf as Schema[]).filter((sub) => validate(sub, value, roots, at).length === 0).length !== 1) errors.push(`${at}: does not match exactly one of oneOf`);
  if (s.not !== undefined && validate(s.not, value, roots, at).length === 0) errors.push(`${at}: matches "not"`);
  return errors;
}

// ==== THE DOCUMENT ====

interface Operation {
  operationId: string;
  parameters?: { name: string; in: string; required: boolean; schema: Schema }[];
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}
interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
}

/** The documented path template a concrete path matches (a template segment never spans a "/"). */
function templateOf(doc: OpenApiDocument, path: string): string | undefined {
  const bare = path.split("?")[0]!;
  const matches = Object.keys(doc.paths).filter((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, "[^/]+")}$`).test(bare));
  // A literal path wins over a template (none overlap today, but be exact).
  return matches.sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0))[0];
}

describe("OpenAPI document", function () {
  let f: ApiFixture;
  let doc: OpenApiDocument;
  let world: MatrixWorld;
  /** operationId → statuses seen and validated. */
  const validated = new Map<string, Set<number>>();
  let checked = 0;

  /** Checks one response against the document: the status is documented, the body validates. */
  function conform(method: string, path: string, res: Response): void {
    const template = templateOf(doc, path);
    const where = `${method.toUpperCase()} ${path} → ${res.status}`;
    expect(template, `${where}: no documented path`).to.not.equal(undefined);
    const op = doc.paths[template!]![method];
    expect(op, `${where}: ${method} is not documented on ${template}`).to.not.equal(undefined);
    const documented = op!.responses[String(res.status)];
    expect(documented, `${where}: status ${res.status} is not documented (documented: ${Object.keys(op!.responses).join(", ")})`).to.not.equal(undefined);
    const type = String(res.headers["content-type"] ?? "").split(";")[0]!.trim();
    const content = documented!.content ?? {};
    expect(Object.keys(content), `${where}: content type ${type} is not documented`).to.include(type);
    if (type === "application/json") {
      const schema = content[type]!.schema;
      const errors = validate(schema, res.body, [schema, doc]);
      expect(errors, `${where}: ${JSON.stringify(res.body).slice(0, 400)}`).to.deep.equal([]);
    }
    if (!validated.has(op!.operationId)) validated.set(op!.operationId, new Set());
    validated.get(op!.operationId)!.add(res.status);
    checked++;
  }

  const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });
  const get = async (path: string, token?: string) => {
    const res = await (token === undefined ? request(f.app).get(path) : request(f.app).get(path).set(bearer(token)));
    conform("get", path, res);
    return res;
  };
  const post = async (path: string, body: unknown, options: { token?: string; type?: string; raw?: boolean } = {}) => {
    let req = request(f.app).post(path);
    if (options.token) req = req.set(bearer(options.token));
    if (options.type) req = req.set("Content-Type", options.type);
    if (options.raw) req = req.serialize((b: unknown) => b as string);
    const res = await req.send(body as object);
    conform("post", path, res);
    return res;
  };

  before(async function () {
    f = await apiFixture({}, { supervision: true });
    world = await buildMatrixWorld(f);
    doc = (await request(f.app).get("/openapi.json").expect(200)).body as OpenApiDocument;
  });

  describe("/openapi.json", function () {
    it("is OpenAPI 3.1 with an operation for every route, unique operation ids, and schemas the validator understands", function () {
      expect(doc.openapi).to.equal("3.1.0");
      const routes = [...apiRoutes(f.deps, new NonceStore()).map((r) => `${r.method} ${r.path}`), ...DOCUMENT_ROUTES];
      for (const r of routes) {
        const [method, path] = r.split(" ") as [string, string];
        const template = path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
        expect(doc.paths[template]?.[method], `${r} is not documented`).to.not.equal(undefined);
      }
      const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((o) => o.operationId));
      expect(new Set(ids).size).to.equal(ids.length);
      expect(ids.length).to.equal(routes.length);
      // Every schema in the document uses only keywords the validator checks (validating null visits every keyword).
      for (const ops of Object.values(doc.paths)) {
        for (const op of Object.values(ops)) {
          for (const r of Object.values(op.responses)) for (const c of Object.values(r.content ?? {})) expect(() => validate(c.schema, null, [c.schema, doc])).to.not.throw();
          for (const p of op.parameters ?? []) expect(() => validate(p.schema, null, [p.schema, doc])).to.not.throw();
        }
      }
    });

    it("has a validator that rejects what the schemas forbid", function () {
      const s: Schema = { type: "object", properties: { a: { type: ["string", "null"], pattern: "^x" }, b: { type: "array", items: { type: "integer" } } }, required: ["a"], additionalProperties: false };
      expect(validate(s, { a: "xy", b: [1, 2] }, [s])).to.deep.equal([]);
      expect(validate(s, { a: null }, [s])).to.deep.equal([]);
      expect(validate(s, { a: "y" }, [s])).to.have.length(1);
      expect(validate(s, { b: [1.5] }, [s])).to.have.length(2);
      expect(validate(s, { a: "x", c: 1 }, [s])).to.have.length(1);
      expect(validate(s, [], [s])).to.have.length(1);
      expect(() => validate({ type: "string", madeUp: 1 }, "x", [])).to.throw(/unsupported/);
    });
  });

  describe("responses", function () {
    it("of every access-matrix cell conform", async function () {
      for (const row of MATRIX_ROWS) {
        for (const column of COLUMNS) {
          const { path, res } = await sendCell(world, row, column);
          conform(row.method, path, res);
        }
      }
    });

    it("of the route scenarios (filters, pages, detail, validity, traces, stats) conform", async function () {
      const { tokens, addr } = world;
      const regulator = tokens.REGULATOR!;
      const holder = tokens.HOLDER!;
      for (const p of ["/health", "/ready", "/status"]) await get(p);
      // Members.
      const page = await get("/v1/members?limit=3", holder);
      await get(`/v1/members?limit=3&cursor=${page.body.nextCursor}`, holder);
      for (const q of ["role=PROCESSOR", "status=Suspended", "limit=101", "role=KING"]) await get(`/v1/members?${q}`, holder);
      await get(`/v1/members/${addr.holder2}`, holder);
      await get("/v1/members/0x12", holder);
      // Resources.
      for (const q of ["domain=Health", "q=health", "limit=1", `holder=${addr.holder}`, "grade=Important", "cursor=!!", "extra=1"]) {
        await get(`/v1/resources?${q}`);
        await get(`/v1/resources?${q}`, regulator);
      }
      const first = await get("/v1/resources?limit=1", regulator);
      await get(`/v1/resources?limit=1&cursor=${first.body.nextCursor}`, regulator);
      for (const sub of ["", "/versions", "/objections", "/rights"]) {
        for (const id of ["2", "3", "abc"]) await get(`/v1/resources/${id}${sub}`, regulator);
      }
      await get("/v1/resources/2");
      // Grants.
      for (const q of ["", "?role=grantor", "?resourceId=2", "?limit=1", `?member=${addr.processor}`, "?role=owner"]) await get(`/v1/grants${q}`, regulator);
      const grants = await get("/v1/grants?role=grantor&limit=1", holder);
      await get(`/v1/grants?role=grantor&limit=1&cursor=${grants.body.nextCursor}`, holder);
      const head = await ethers.provider.getBlockNumber();
      for (const id of ["1", "2", "3"]) {
        await get(`/v1/grants/${id}`, regulator);
        await get(`/v1/grants/${id}/impact`, regulator);
        for (const q of ["", `?block=${head - 10}`, `?block=${head}`, `?time=${(await ethers.provider.getBlock(head - 5))!.timestamp}`, "?block=1&time=1", `?block=${head + 1}`]) {
          await get(`/v1/grants/${id}/validity${q}`, regulator);
        }
      }
      // Operation authorizations and consents.
      for (const q of ["", "?status=Active", "?status=Ended", `?operator=${addr.processor}`, "?limit=1", "?operator=0x12"]) await get(`/v1/operations${q}`, regulator);
      await get(`/v1/operations?operator=${addr.processor}`, holder);
      for (const q of ["", "?resourceId=3", "?resourceId=0", "?limit=1", "?cursor=!!"]) await get(`/v1/consents${q}`, regulator);
      for (const sub of ["", "/impact"]) {
        for (const id of ["1", "2", "999", "abc"]) {
          await get(`/v1/operations/${id}${sub}`, regulator);
          await get(`/v1/consents/${id}${sub}`, regulator);
        }
      }
      // Market: listings, trades, entitlements, admission, ratings.
      for (const q of ["", "?productId=2", `?seller=${addr.processor}`, "?status=Delisted", "?limit=1", "?status=Sold"]) {
        await get(`/v1/listings${q}`);
        await get(`/v1/listings${q}`, regulator);
      }
      for (const id of ["1", "2", "999", "abc"]) await get(`/v1/listings/${id}`);
      for (const q of ["", "?role=seller", "?status=Open", "?listingId=1", `?party=${addr.processor2}`, "?limit=1", "?role=broker"]) await get(`/v1/trades${q}`, regulator);
      for (const id of ["1", "3", "999", "abc"]) await get(`/v1/trades/${id}`, regulator);
      for (const q of ["", `?party=${addr.holder}`, "?limit=1", "?party=0x12"]) await get(`/v1/entitlements${q}`, regulator);
      await get(`/v1/entitlements?party=${addr.holder}`, holder);
      await get("/v1/admission/positive-list");
      await get("/v1/admission/negative-list", holder);
      await get("/v1/admission/settings", holder);
      for (const q of ["", "?product=2", `?member=${addr.processor}`, "?kind=Quality", `?product=2&member=${addr.processor}`]) await get(`/v1/ratings${q}`, holder);
      for (const id of ["5", "8"]) await get(`/v1/grants/${id}/impact`, regulator);
      // Traces.
      const subject = subjectKey(SubjectKind.Resource, 3n);
      const trace = await get(`/v1/traces/${subject}?limit=2`, regulator);
      await get(`/v1/traces/${subject}?limit=2&cursor=${trace.body.nextCursor}`, regulator);
      await get(`/v1/traces/${subjectKey(SubjectKind.Grant, 1n)}`, regulator);
      await get("/v1/traces/0x12", regulator);
      // Supervision: filters, pages, the executed dispute's detail, refusals.
      const reports = await get("/v1/reports?limit=2", regulator);
      await get(`/v1/reports?limit=2&cursor=${reports.body.nextCursor}`, regulator);
      for (const q of ["status=Substantiated", `subject=${subjectKey(SubjectKind.Product, 1n)}`, "category=2", "status=Closed", "category=x"]) await get(`/v1/reports?${q}`, regulator);
      for (const q of ["status=Executed", `party=${addr.holder}`, "party=0x12"]) await get(`/v1/disputes?${q}`, regulator);
      await get(`/v1/disputes?party=${addr.holder2}`, holder);
      await get("/v1/disputes/1", regulator);
      await get("/v1/disputes/abc", regulator);
      for (const q of [`subject=${subjectKey(SubjectKind.Grant, 3n)}`, `cause=${subjectKey(SubjectKind.Report, 1n)}`, "lifted=true", "lifted=1"]) await get(`/v1/sanctions?${q}`, regulator);
      for (const q of ["status=Pending", "kind=ExpelMember", "kind=Exile"]) await get(`/v1/severe-proposals?${q}`, regulator);
      // Stats.
      for (const d of STAT_DIMENSIONS) await get(`/v1/stats?dimension=${d}`, regulator);
      await get("/v1/stats?dimension=members&from=2000-01&to=2999-12", regulator);
      await get("/v1/stats?dimension=members&from=2000-13", regulator);
    });

    it("of sign-in, documents and refused requests conform", async function () {
      const holderAddress = await f.fx.holder.getAddress();
      const c = await post("/v1/auth/challenge", { address: holderAddress });
      const signature = await f.fx.holder.signMessage(c.body.message);
      await post("/v1/auth/login", { message: c.body.message, signature });
      await post("/v1/auth/login", { message: c.body.message, signature });
      await post("/v1/auth/login", { message: c.body.message });
      await post("/v1/auth/challenge", { address: "0x12" });
      await post("/v1/auth/challenge", '{"address":', { type: "application/json" });
      await post("/v1/auth/challenge", JSON.stringify({ address: "a".repeat(40_000) }), { type: "application/json" });
      await post("/v1/auth/challenge", Buffer.from(JSON.stringify({ address: holderAddress }), "utf16le"), { type: "application/json; charset=utf-16", raw: true });
      await post("/v1/auth/challenge", "{}", { type: "application/json; charset=bogus" });
      // A stale token is refused on public routes too.
      await get("/v1/resources", world.tokens.suspended);
      await post("/v1/auth/challenge", { address: holderAddress }, { token: world.tokens.outsider });

      const token = world.tokens.HOLDER!;
      const bytes = Buffer.from("openapi conformance document");
      await post("/v1/documents", bytes, { token, type: "text/plain", raw: true });
      await post("/v1/documents", Buffer.alloc(f.deps.config.maxDocumentBytes + 1), { token, type: "application/octet-stream", raw: true });
      await post("/v1/documents", bytes, { token, type: "text/html", raw: true });
      await post("/v1/documents", Buffer.alloc(0), { token, type: "text/plain", raw: true });
      await post("/v1/documents", bytes, { type: "text/plain", raw: true });
      await get(`/v1/documents/${keccak256(bytes)}`, token);
      await get(`/v1/documents/${keccak256(bytes)}`, world.tokens.PROCESSOR);
      await get("/v1/documents/0x12", token);
    });

    it("of the rate limiter conform", async function () {
      const limited = await apiFixture({ loginRateLimitPerMinute: 1 });
      const address = await limited.fx.holder.getAddress();
      await request(limited.app).post("/v1/auth/challenge").send({ address }).expect(200);
      const res = await request(limited.app).post("/v1/auth/challenge").send({ address }).expect(429);
      conform("post", "/v1/auth/challenge", res);
    });

    after(function () {
      const ops = Object.values(doc.paths).flatMap((o) => Object.values(o).map((op) => op.operationId));
      // Every operation was seen succeeding, and the checks actually ran.
      for (const id of ops) expect([...(validated.get(id) ?? [])].some((s) => s < 300), `${id}: no successful response was validated`).to.equal(true);
      console.log(`      openapi: ${checked} responses validated over ${validated.size} operations; statuses per operation ${JSON.stringify(Object.fromEntries([...validated].map(([k, v]) => [k, [...v].sort()])))}`);
    });
  });
});
