import { expect } from "chai";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import request from "supertest";
import { issueToken } from "../../src/api/auth/tokens.js";
import { apiRoutes } from "../../src/api/app.js";
import { NonceStore } from "../../src/api/auth/nonces.js";
import { apiFixture, type ApiFixture } from "./api-fixture.js";

/*
 * Request fuzzing: at least 1,000 generated malformed requests (random paths, route templates with bad parameters,
 * query strings, bodies with huge numbers, deep JSON and bad hex, odd content types and credentials) against the app
 * on the indexed scenario. No answer is a 5xx; every non-2xx answer is `{ "error": { "code", "message" } }` with a
 * code of its status; no body carries a stack frame or a file path.
 */

const RUNS = Number(process.env.DRL_FUZZ_RUNS ?? 1_200);
const MIN_REQUESTS = 1_000;

type Method = "get" | "post" | "put" | "delete" | "patch";

interface FuzzRequest {
  method: Method;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

// ==== VALUES ====

/** Safe to put in a URL as is: printable ASCII without space, '#' or '?' (those are generated on purpose elsewhere). */
const urlSafe = (s: string) => s.replace(/[^\x21-\x7e]|[#?]/gu, (c) => encodeURIComponent(c));

const hexChars = fc.constantFrom(..."0123456789abcdefABCDEFxXgGzZ-_ ".split(""));
const badHex = fc.oneof(
  fc.string({ unit: hexChars, maxLength: 140 }).map((s) => `0x${s}`),
  fc.integer({ min: 0, max: 140 }).map((n) => `0x${"f".repeat(n)}`),
  fc.string({ unit: hexChars, minLength: 64, maxLength: 64 }).map((s) => `0X${s}`),
  fc.constantFrom("0x", "0x0", "0xg", "x00", "0x" + "0".repeat(63), "0x" + "0".repeat(65), "0x" + "f".repeat(40) + " "),
);
const hugeNumber = fc.oneof(
  fc.bigInt({ min: 10n ** 19n, max: 10n ** 80n }).map(String),
  fc.bigInt({ min: -(10n ** 40n), max: -1n }).map(String),
  fc.constantFrom("18446744073709551616", "18446744073709551615", "9".repeat(400), "1e400", "-1e400", "1.0e2", "0.5", "NaN", "Infinity", "0x10", "00001", "+1", "1_000"),
);
const oddText = fc.constantFrom(
  "",
  "0",
  "-1",
  "null",
  "undefined",
  "true",
  "[]",
  "{}",
  "%00",
  "%",
  "%E0%A4%A",
  "%ZZ",
  "..",
  "%2e%2e%2f%2e%2e",
  "'%20OR%201=1--",
  "<script>",
  "__proto__",
  "constructor",
  "%F0%9F%99%82",
  "a".repeat(600),
);
const realIds = fc.constantFrom("1", "2", "3", "999", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", "0x" + "0".repeat(62) + "01", "0x0300000000000000000000000000000000000000000000000000000000000003");
const badValue = fc.oneof(
  { arbitrary: oddText, weight: 3 },
  { arbitrary: hugeNumber, weight: 3 },
  { arbitrary: badHex, weight: 3 },
  { arbitrary: realIds, weight: 2 },
  { arbitrary: fc.string({ maxLength: 40 }).map((s) => encodeURIComponent(s)), weight: 2 },
  { arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }).map((s) => encodeURIComponent(s)), weight: 1 },
);

// ==== PATHS ====

const QUERY_KEYS = ["limit", "cursor", "block", "time", "member", "role", "resourceId", "domain", "category", "grade", "holder", "status", "q", "dimension", "from", "to", "__proto__", "constructor", "a[b]", "limit[]", ""];

function pathArbitrary(templates: readonly string[]) {
  const fromTemplate = fc.tuple(fc.constantFrom(...templates), fc.array(badValue, { minLength: 4, maxLength: 4 })).map(([t, values]) => {
    let i = 0;
    return t.replace(/:[A-Za-z]+/g, () => values[i++ % values.length]!);
  });
  const withJunk = fc.tuple(fromTemplate, badValue).map(([p, junk]) => `${p}/${junk}`);
  const random = fc.array(badValue, { minLength: 1, maxLength: 6 }).map((segs) => `/${segs.join("/")}`);
  const prefixed = fc.tuple(fc.constantFrom("/v1", "/v1/grants", "/v1/resources", "/v2", "//v1", "/v1//grants", "/V1/GRANTS"), badValue).map(([a, b]) => `${a}/${b}`);
  const query = fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 10 }).map(encodeURIComponent)), badValue), { maxLength: 6 })
    .map((pairs) => (pairs.length === 0 ? "" : `?${pairs.map(([k, v]) => `${k}=${v}`).join("&")}`));
  const base = fc.oneof({ arbitrary: fromTemplate, weight: 6 }, { arbitrary: withJunk, weight: 1 }, { arbitrary: random, weight: 1 }, { arbitrary: prefixed, weight: 1 });
  return fc.tuple(base, query).map(([p, q]) => `${urlSafe(p).slice(0, 3_000)}${q.length > 0 ? `?${urlSafe(q.slice(1)).slice(0, 1_000)}` : ""}`);
}

// ==== BODIES ====

const deepJson = fc.tuple(fc.integer({ min: 50, max: 8_000 }), fc.boolean()).map(([depth, arrays]) => (arrays ? "[".repeat(depth) + "]".repeat(depth) : '{"a":'.repeat(depth) + "1" + "}".repeat(depth)));
const hugeNumbersJson = fc.constantFrom(
  '{"address": 1e400}',
  '{"address": -1e400}',
  '{"address": 123456789012345678901234567890123456789}',
  '{"message": 1e309, "signature": 0.1e-400}',
  '[1e999999]',
  `{"address": ${"9".repeat(5_000)}}`,
);
const badHexJson = fc.tuple(badHex, badHex).map(([a, b]) => JSON.stringify({ address: a, message: `${a}\n${b}`, signature: b }));
const unknownFields = fc.tuple(fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }), badHex).map(([extra, a]) => JSON.stringify({ address: a, ...extra, ["__proto__"]: { polluted: true } }));

function bodyArbitrary(challenges: readonly string[]) {
  const siwe = fc
    .tuple(fc.constantFrom(...challenges), fc.nat(400), fc.string({ maxLength: 8 }), badHex)
    .map(([message, at, insert, signature]) => JSON.stringify({ message: message.slice(0, at) + insert + message.slice(at), signature }));
  const replayedSiwe = fc.constantFrom(...challenges).map((message) => JSON.stringify({ message, signature: "0x" + "1b".repeat(65) }));
  return fc.oneof(
    { arbitrary: fc.json({ maxDepth: 6 }), weight: 3 },
    { arbitrary: deepJson, weight: 2 },
    { arbitrary: hugeNumbersJson, weight: 2 },
    { arbitrary: badHexJson, weight: 2 },
    { arbitrary: unknownFields, weight: 2 },
    { arbitrary: siwe, weight: 2 },
    { arbitrary: replayedSiwe, weight: 1 },
    { arbitrary: fc.string({ maxLength: 300 }), weight: 1 },
    { arbitrary: fc.constantFrom('{"address":', "{", '"just a string"', "null", "", "\u0000\u0001", '{"a":1,"a":2}', "x".repeat(40_000), JSON.stringify({ address: "a".repeat(40_000) })), weight: 2 },
  );
}

const contentType = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-8",
  "application/json; charset=utf-16",
  "application/json; charset=bogus",
  "text/plain",
  "text/html",
  "application/octet-stream",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "image/png",
  "application/pdf",
  "*/*",
  ";;;",
  "application/json;;charset",
);

// ==== CREDENTIALS ====

interface Credentials {
  valid: string[];
  stale: string;
}

function authArbitrary(creds: Credentials) {
  return fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 4 },
    { arbitrary: fc.constantFrom(...creds.valid).map((t) => `Bearer ${t}`), weight: 4 },
    { arbitrary: fc.constant(`Bearer ${creds.stale}`), weight: 1 },
    { arbitrary: fc.string({ unit: fc.constantFrom(..."abcXYZ019-_.".split("")), maxLength: 1_100 }).map((t) => `Bearer ${t}`), weight: 2 },
    {
      arbitrary: fc.tuple(fc.jsonValue({ maxDepth: 2 }), fc.string({ maxLength: 40 })).map(([p, m]) => `Bearer ${Buffer.from(JSON.stringify(p) ?? "null").toString("base64url")}.${Buffer.from(m).toString("base64url")}`),
      weight: 2,
    },
    { arbitrary: fc.constantFrom("Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Token abc.def", "bearer a.b.c.d.e.f.g.h.i.j", "Bearer ..........", "Bearer " + "a".repeat(5_000)), weight: 1 },
  );
}

function requestArbitrary(templates: readonly string[], challenges: readonly string[], creds: Credentials): fc.Arbitrary<FuzzRequest> {
  const method = fc.oneof(
    { arbitrary: fc.constant<Method>("get"), weight: 6 },
    { arbitrary: fc.constant<Method>("post"), weight: 4 },
    { arbitrary: fc.constantFrom<Method>("put", "delete", "patch"), weight: 1 },
  );
  const extraHeaders: fc.Arbitrary<Record<string, string>> = fc.oneof(
    { arbitrary: fc.constant<Record<string, string>>({}), weight: 5 },
    { arbitrary: fc.constantFrom<Record<string, string>>({ "Content-Encoding": "gzip" }, { "Content-Encoding": "br" }, { "Content-Encoding": "bogus" }, { "X-Request-Id": "../../etc/passwd" }, { Accept: "text/html" }), weight: 1 },
  );
  const body = fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 2 },
    { arbitrary: bodyArbitrary(challenges).map((s) => Buffer.from(s, "utf8")), weight: 5 },
    { arbitrary: fc.uint8Array({ maxLength: 2_000 }).map((a) => Buffer.from(a)), weight: 1 },
    // Bodies around the size limits: only the few POST routes parse them (GET routes far outnumber them), so weighted
    // up for a 413 to come out of every run, not of most runs.
    { arbitrary: fc.integer({ min: 64 * 1024 - 2, max: 64 * 1024 + 2 }).map((n) => Buffer.alloc(n, 0x61)), weight: 3 },
  );
  return fc
    .record({ method, path: pathArbitrary(templates), auth: authArbitrary(creds), type: fc.option(contentType, { nil: undefined }), extra: extraHeaders, body })
    .map(({ method, path, auth, type, extra, body }) => {
      const headers: Record<string, string> = { ...extra };
      if (auth !== undefined) headers.Authorization = auth;
      if (type !== undefined) headers["Content-Type"] = type;
      return { method, path, headers, body: method === "get" ? undefined : body };
    });
}

// ==== CHECKS ====

const STACK_FRAME = /\n\s*at |\bat [\w$.<>]+ \(|\bat (file:|node:|\/)/;
const FILE_PATH = /(\/work\/|\/home\/|\/tmp\/|\/usr\/|node_modules|file:\/\/|[\w-]+\.(ts|js|mjs|cjs):\d+)/;

function describeRequest(r: FuzzRequest): string {
  const body = r.body === undefined ? "" : ` body(${r.body.length}B)=${JSON.stringify(r.body.subarray(0, 120).toString("utf8"))}`;
  return `${r.method.toUpperCase()} ${r.path.slice(0, 300)} ${JSON.stringify(r.headers).slice(0, 300)}${body}`;
}

describe("API request fuzzing", function () {
  this.timeout(60_000);
  let f: ApiFixture;
  let server: Server;
  let templates: string[];
  const challenges: string[] = [];
  let creds: Credentials;

  before(async function () {
    f = await apiFixture();
    server = f.app.listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    const routes = apiRoutes(f.deps, new NonceStore());
    // POST routes (the only ones that parse bodies) listed three times, so that GET routes, which keep being added, do
    // not crowd the body checks (413, 415) out of a run.
    const posts = [...routes.filter((r) => r.method === "post").map((r) => r.path), "/v1/documents"];
    templates = [...routes.map((r) => r.path), "/v1/documents", "/v1/documents/:hash", "/openapi.json", ...posts, ...posts];
    // Real challenges, so that mutated and replayed EIP-4361 messages reach the login checks.
    for (const s of [f.fx.holder, f.fx.processor, f.fx.regulator]) {
      const c = await request(server).post("/v1/auth/challenge").send({ address: await s.getAddress() }).expect(200);
      challenges.push((c.body as { message: string }).message);
    }
    const now = f.deps.now();
    creds = {
      valid: [await f.login(f.fx.holder), await f.login(f.fx.regulator), await f.login(f.fx.processor2)],
      stale: issueToken(f.deps.config.tokenSecret, await f.fx.suspended.getAddress(), 900, now).token,
    };
  });

  after(async function () {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it(`answers ${RUNS} generated malformed requests without a 5xx, every error in the error format, no stack traces`, async function () {
    let sent = 0;
    const byStatus: Record<number, number> = {};
    let routed = 0;
    const port = (server.address() as AddressInfo).port;
    const base = `http://127.0.0.1:${port}`;

    await fc.assert(
      fc.asyncProperty(requestArbitrary(templates, challenges, creds), async (r) => {
        let req = request(base)[r.method](r.path);
        for (const [k, v] of Object.entries(r.headers)) req = req.set(k, v);
        if (r.body !== undefined) req = req.serialize((b: unknown) => b as string).send(r.body);
        const res = await req;
        sent++;
        byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
        const where = describeRequest(r);
        const text = res.text ?? "";
        expect(res.status, `${where} → ${res.status} ${text.slice(0, 300)}`).to.be.below(500);
        expect(text, where).to.not.match(STACK_FRAME);
        expect(text, where).to.not.match(FILE_PATH);
        if (res.status >= 300) {
          expect(res.headers["content-type"], `${where} → ${res.status}`).to.match(/^application\/json/);
          const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
          expect(Object.keys(body), where).to.deep.equal(["error"]);
          expect(Object.keys(body.error!).sort(), where).to.deep.equal(["code", "message"]);
          expect(body.error!.code, where).to.be.a("string").and.match(new RegExp(`^DRL-${res.status}-[A-Z-]+$`));
          expect(body.error!.message, where).to.be.a("string").and.not.equal("");
          if (!/^no route /.test(body.error!.message as string)) routed++;
        } else {
          routed++;
        }
      }),
      { numRuns: RUNS },
    );

    console.log(`      fuzz: ${sent} requests; statuses ${JSON.stringify(byStatus)}; ${routed} reached a route`);
    expect(sent).to.be.at.least(MIN_REQUESTS);
    // The generator reaches the routes' own checks, not only the 404 of unknown paths.
    expect(routed).to.be.greaterThan(sent / 2);
    for (const status of [400, 401, 404, 405, 413, 415]) expect(byStatus[status] ?? 0, `no ${status} among the answers`).to.be.greaterThan(0);
  });
});
