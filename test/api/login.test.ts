import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { Wallet, type Signer } from "ethers";
import request, { type Response } from "supertest";
import { formatSiwe, parseSiwe, type SiweFields } from "../../src/api/auth/siwe.js";
import { issueToken } from "../../src/api/auth/tokens.js";
import { h, ROLES } from "../helpers/fixtures.js";
import { apiFixture, type ApiFixture } from "./api-fixture.js";

/*
 * Sign-in with Ethereum (EIP-4361): the server issues a message with its domain, URI, chain id, a single-use nonce and
 * an expiry; the member signs it with its key; the server checks it and issues a short-lived token. Roles and status
 * are read from the index on every request, so a change on chain takes effect once indexed.
 */

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Expects a refused login: 401 with the login code and a reason matching `why`. */
function expectRefused(res: Response, why: RegExp): void {
  expect(res.status, JSON.stringify(res.body)).to.equal(401);
  expect(res.body.error.code).to.equal("DRL-401-LOGIN");
  expect(res.body.error.message).to.match(why);
}

function expectUnauthenticated(res: Response): void {
  expect(res.status, JSON.stringify(res.body)).to.equal(401);
  expect(res.body.error.code).to.equal("DRL-401-UNAUTHENTICATED");
}

describe("API sign-in", function () {
  let f: ApiFixture;
  const now = () => f.deps.now();

  /** A challenge for `signer`, parsed. */
  async function challenge(signer: Signer | string): Promise<{ message: string; fields: SiweFields; expiresAt: number }> {
    const address = typeof signer === "string" ? signer : await signer.getAddress();
    const res = await request(f.app).post("/v1/auth/challenge").send({ address }).expect(200);
    const fields = parseSiwe(res.body.message);
    expect(fields, res.body.message).to.not.equal(undefined);
    return { message: res.body.message, fields: fields!, expiresAt: res.body.expiresAt };
  }

  const login = (message: string, signature: string) => request(f.app).post("/v1/auth/login").send({ message, signature });

  /** Signs the server's challenge for `signer` after changing some of its fields (a client may sign anything). */
  async function signAltered(signer: Signer, change: Partial<SiweFields>): Promise<Response> {
    const { fields } = await challenge(signer);
    const message = formatSiwe({ ...fields, ...change });
    return login(message, await signer.signMessage(message));
  }

  before(async function () {
    f = await apiFixture();
  });

  afterEach(function () {
    f.deps.now = () => Math.floor(Date.now() / 1000);
  });

  describe("POST /v1/auth/challenge", function () {
    it("gives an EIP-4361 message with the server's domain, URI and chain id, a fresh nonce and an expiry", async function () {
      const address = await f.fx.holder.getAddress();
      const a = await challenge(address.toLowerCase());
      expect(a.fields).to.include({ domain: f.deps.config.domain, uri: f.deps.config.uri, address, version: "1" });
      expect(a.fields.chainId).to.equal(f.deps.config.chainId);
      expect(a.message.split("\n")[0]).to.equal(`${f.deps.config.domain} wants you to sign in with your Ethereum account:`);
      expect(a.expiresAt - now()).to.be.within(f.deps.config.challengeTtlSeconds - 2, f.deps.config.challengeTtlSeconds);
      expect(Date.parse(a.fields.expirationTime) / 1000).to.equal(a.expiresAt);
      const b = await challenge(address);
      expect(b.fields.nonce).to.not.equal(a.fields.nonce);
    });

    it("refuses a malformed address, unknown fields and a body that is not JSON", async function () {
      for (const body of [{}, { address: "0x12" }, { address: 42 }, { address: await f.fx.holder.getAddress(), extra: true }, [1]]) {
        const res = await request(f.app).post("/v1/auth/challenge").send(body as object);
        expect(res.status, JSON.stringify(body)).to.equal(400);
        expect(res.body.error.code).to.equal("DRL-400-VALIDATION");
      }
      const bad = await request(f.app).post("/v1/auth/challenge").set("Content-Type", "application/json").send('{"address":');
      expect(bad.status).to.equal(400);
      expect(bad.body.error.code).to.equal("DRL-400-JSON");
    });
  });

  describe("POST /v1/auth/login", function () {
    it("issues a short-lived token for a signed challenge, with the member's roles from the index", async function () {
      const { message } = await challenge(f.fx.regulator);
      const res = await login(message, await f.fx.regulator.signMessage(message)).expect(200);
      expect(res.body.address).to.equal((await f.fx.regulator.getAddress()).toLowerCase());
      expect(res.body.roles).to.deep.equal(["REGULATOR"]);
      expect(res.body.expiresAt - now()).to.be.within(f.deps.config.tokenTtlSeconds - 2, f.deps.config.tokenTtlSeconds);
      await request(f.app).get("/v1/stats?dimension=members").set(bearer(res.body.token)).expect(200);
    });

    it("refuses a replayed nonce", async function () {
      const { message } = await challenge(f.fx.holder);
      const signature = await f.fx.holder.signMessage(message);
      await login(message, signature).expect(200);
      expectRefused(await login(message, signature), /nonce/);
    });

    it("spends the nonce on a failed attempt, so the genuine signature cannot follow it", async function () {
      const { message } = await challenge(f.fx.holder);
      expectRefused(await login(message, await f.fx.holder2.signMessage(message)), /not by the named account/);
      expectRefused(await login(message, await f.fx.holder.signMessage(message)), /nonce/);
    });

    it("refuses an expired message", async function () {
      const past = new Date((now() - 1) * 1000).toISOString();
      expectRefused(await signAltered(f.fx.holder, { expirationTime: past }), /expired/);
      expectRefused(await signAltered(f.fx.holder, { expirationTime: "not a date" }), /expired/);
    });

    it("refuses a challenge signed after its time to live", async function () {
      const { message } = await challenge(f.fx.holder);
      const signature = await f.fx.holder.signMessage(message);
      const later = now() + f.deps.config.challengeTtlSeconds + 1;
      f.deps.now = () => later;
      expectRefused(await login(message, signature), /nonce/);
    });

    it("refuses a message for another domain, URI or chain id", async function () {
      expectRefused(await signAltered(f.fx.holder, { domain: "evil.example" }), /wrong domain/);
      expectRefused(await signAltered(f.fx.holder, { uri: "https://evil.example" }), /wrong domain/);
      expectRefused(await signAltered(f.fx.holder, { chainId: 1n }), /wrong chain id 1/);
      expectRefused(await signAltered(f.fx.holder, { chainId: f.deps.config.chainId + 1n }), /wrong chain id/);
    });

    it("refuses a signer that is not a member, and a suspended member", async function () {
      const { message } = await challenge(f.fx.outsider);
      expectRefused(await login(message, await f.fx.outsider.signMessage(message)), /not a member/);
      const stranger = Wallet.createRandom();
      const c = await challenge(stranger.address);
      expectRefused(await login(c.message, await stranger.signMessage(c.message)), /not a member/);
      const s = await challenge(f.fx.suspended);
      expectRefused(await login(s.message, await f.fx.suspended.signMessage(s.message)), /suspended/);
    });

    it("refuses a signature by another key, and a nonce issued to another account", async function () {
      const { message } = await challenge(f.fx.holder);
      expectRefused(await login(message, await f.fx.regulator.signMessage(message)), /not by the named account/);
      // holder2's nonce in a message naming holder, signed by holder.
      const theirs = await challenge(f.fx.holder2);
      const mine = await challenge(f.fx.holder);
      const forged = formatSiwe({ ...mine.fields, nonce: theirs.fields.nonce });
      expectRefused(await login(forged, await f.fx.holder.signMessage(forged)), /nonce/);
      // A nonce the server never issued.
      const made = formatSiwe({ ...mine.fields, nonce: randomBytes(16).toString("hex") });
      expectRefused(await login(made, await f.fx.holder.signMessage(made)), /nonce/);
    });

    it("refuses text that is not the server's EIP-4361 message, and malformed bodies", async function () {
      const { message } = await challenge(f.fx.holder);
      const edited = message.replace("Sign in to DataRights Ledger.", "Sign in to DataRights Ledger.\nextra line");
      expectRefused(await login(edited, await f.fx.holder.signMessage(edited)), /not an EIP-4361 message/);
      expectRefused(await login("hello", await f.fx.holder.signMessage("hello")), /not an EIP-4361 message/);
      const signature = await f.fx.holder.signMessage(message);
      for (const body of [{ message }, { signature }, { message, signature: "0x1234" }, { message: 1, signature }, { message, signature, extra: 1 }, { message: "x".repeat(2001), signature }]) {
        const res = await request(f.app).post("/v1/auth/login").send(body);
        expect(res.status, JSON.stringify(body).slice(0, 80)).to.equal(400);
        expect(res.body.error.code).to.equal("DRL-400-VALIDATION");
      }
      // Malformed bodies did not spend the nonce.
      await login(message, signature).expect(200);
    });
  });

  describe("session tokens", function () {
    it("expire after their time to live", async function () {
      const token = await f.login(f.fx.processor);
      const issued = now();
      f.deps.now = () => issued + f.deps.config.tokenTtlSeconds - 5;
      await request(f.app).get("/v1/grants").set(bearer(token)).expect(200);
      f.deps.now = () => issued + f.deps.config.tokenTtlSeconds + 1;
      expectUnauthenticated(await request(f.app).get("/v1/grants").set(bearer(token)));
    });

    it("are refused when altered, signed with another secret, or sent in another scheme", async function () {
      const token = await f.login(f.fx.processor);
      const [body, mac] = token.split(".") as [string, string];
      const payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as { sub: string; exp: number };
      const as = (p: object) => Buffer.from(JSON.stringify(p)).toString("base64url");
      const regulator = (await f.fx.regulator.getAddress()).toLowerCase();
      const flipped = mac.slice(0, -2) + (mac.endsWith("AA") ? "BB" : "AA");
      const foreign = issueToken(randomBytes(32), regulator, 900, now()).token;
      const headers = [
        `Bearer ${as({ ...payload, sub: regulator })}.${mac}`,
        `Bearer ${as({ ...payload, exp: payload.exp + 86_400 })}.${mac}`,
        `Bearer ${body}.${flipped}`,
        `Bearer ${body}`,
        `Bearer ${foreign}`,
        `Basic ${Buffer.from("user:pass").toString("base64")}`,
        "Bearer",
        `Bearer ${token} extra`,
        `Bearer  ${token}`,
      ];
      for (const header of headers) {
        const res = await request(f.app).get("/v1/grants").set("Authorization", header);
        expect(res.status, header).to.equal(401);
        expect(res.body.error.code, header).to.equal("DRL-401-UNAUTHENTICATED");
      }
      await request(f.app).get("/v1/grants").set(bearer(token)).expect(200);
      // The scheme is case-insensitive (RFC 7235).
      await request(f.app).get("/v1/grants").set("Authorization", `bearer ${token}`).expect(200);
    });

    it("of an account that is not a member are refused, even when the server signed them", async function () {
      const token = issueToken(f.deps.config.tokenSecret, await f.fx.outsider.getAddress(), 900, now()).token;
      expectUnauthenticated(await request(f.app).get("/v1/grants").set(bearer(token)));
      const suspended = issueToken(f.deps.config.tokenSecret, await f.fx.suspended.getAddress(), 900, now()).token;
      expectUnauthenticated(await request(f.app).get("/v1/members").set(bearer(suspended)));
    });
  });

  describe("too many attempts", function () {
    it("answers 429 in the error format once the login rate limit is spent", async function () {
      const limited = await apiFixture({ loginRateLimitPerMinute: 3 });
      const address = await limited.fx.holder.getAddress();
      for (let i = 0; i < 3; i++) await request(limited.app).post("/v1/auth/challenge").send({ address }).expect(200);
      const res = await request(limited.app).post("/v1/auth/challenge").send({ address }).expect(429);
      expect(res.body).to.deep.equal({ error: { code: "DRL-429-RATE-LIMITED", message: res.body.error.message } });
      expect((await request(limited.app).post("/v1/auth/login").send({}).expect(429)).body.error.code).to.equal("DRL-429-RATE-LIMITED");
      // Reads have their own budget.
      await request(limited.app).get("/v1/resources").expect(200);
    });
  });
});

/** Changes roles and status on chain and re-indexes, so it runs on a fixture of its own. */
describe("API sign-in: roles and status read at every request", function () {
  let f: ApiFixture;
  before(async function () {
    f = await apiFixture();
  });

  const stats = (token: string) => request(f.app).get("/v1/stats?dimension=members").set(bearer(token));
  const wait = async (p: Promise<{ wait: () => Promise<unknown> }>) => {
    await (await p).wait();
  };

  it("gives a role granted on chain at once after re-indexing, with the token already issued", async function () {
    const token = await f.login(f.fx.processor);
    await stats(token).expect(403);
    await wait(f.fx.members.connect(f.fx.gov).grantRole(ROLES.REGULATOR, await f.fx.processor.getAddress()));
    // The index has not seen it yet.
    await stats(token).expect(403);
    await f.indexer.catchUp();
    await stats(token).expect(200);
    // A processor that became a regulator reads another member's grants.
    await request(f.app).get("/v1/grants/3").set(bearer(token)).expect(200);
  });

  it("takes a revoked role away at once after re-indexing", async function () {
    const token = await f.login(f.fx.regulator);
    await stats(token).expect(200);
    await request(f.app).get("/v1/grants/3").set(bearer(token)).expect(200);
    await wait(f.fx.members.connect(f.fx.gov).revokeRole(ROLES.REGULATOR, await f.fx.regulator.getAddress()));
    await f.indexer.catchUp();
    expect((await stats(token).expect(403)).body.error.code).to.equal("DRL-403-FORBIDDEN");
    await request(f.app).get("/v1/grants/3").set(bearer(token)).expect(404);
    const again = await request(f.app).post("/v1/auth/challenge").send({ address: await f.fx.regulator.getAddress() }).expect(200);
    const login = await request(f.app)
      .post("/v1/auth/login")
      .send({ message: again.body.message, signature: await f.fx.regulator.signMessage(again.body.message) })
      .expect(200);
    expect(login.body.roles).to.deep.equal([]);
  });

  it("locks a suspended member out at once after re-indexing, and lets it back when reinstated", async function () {
    const token = await f.login(f.fx.processor2);
    await request(f.app).get("/v1/grants/2").set(bearer(token)).expect(200);
    await wait(f.fx.members.connect(f.fx.gov).suspend(await f.fx.processor2.getAddress(), h("suspend:processor2")));
    await f.indexer.catchUp();
    for (const path of ["/v1/grants/2", "/v1/members", "/v1/resources", "/health"]) expectUnauthenticated(await request(f.app).get(path).set(bearer(token)));
    await wait(f.fx.members.connect(f.fx.gov).reinstate(await f.fx.processor2.getAddress(), h("reinstate:processor2")));
    await f.indexer.catchUp();
    await request(f.app).get("/v1/grants/2").set(bearer(token)).expect(200);
  });

  it("locks an expelled member out for good", async function () {
    const token = await f.login(f.fx.processor3);
    await wait(f.fx.members.connect(f.fx.gov).expel(await f.fx.processor3.getAddress(), h("expel:processor3")));
    await f.indexer.catchUp();
    expectUnauthenticated(await request(f.app).get("/v1/grants").set(bearer(token)));
    const c = await request(f.app).post("/v1/auth/challenge").send({ address: await f.fx.processor3.getAddress() }).expect(200);
    expectRefused(await request(f.app).post("/v1/auth/login").send({ message: c.body.message, signature: await f.fx.processor3.signMessage(c.body.message) }), /exited/);
  });
});
