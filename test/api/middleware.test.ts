import { expect } from "chai";
import express from "express";
import helmet from "helmet";
import request from "supertest";
import { issueToken, verifyToken } from "../../src/api/auth/tokens.js";
import { errorHandler } from "../../src/api/middleware/error-handler.js";
import { rateLimit } from "../../src/api/middleware/rate-limit.js";
import { securityHeaders } from "../../src/api/middleware/security-headers.js";
import { silentLogger } from "../../src/common/logger.js";

/* The API's own cross-cutting middleware, on bare express apps: the rate limit, the security headers, the token cache. */

describe("API middleware", function () {
  describe("rateLimit", function () {
    function limited(limit: number, clock: { t: number }) {
      const app = express();
      app.use(rateLimit({ limit, windowMs: 60_000, now: () => clock.t }));
      app.get("/", (_req, res) => res.json({ ok: true }));
      app.use(errorHandler(silentLogger));
      return app;
    }

    it("counts a client's requests in its window, then answers 429 in the error format with Retry-After", async function () {
      const clock = { t: 120_000 + 15_000 };
      const app = limited(2, clock);
      const first = await request(app).get("/").expect(200);
      expect(first.headers["ratelimit-policy"]).to.equal("2;w=60");
      expect(first.headers["ratelimit"]).to.equal("limit=2, remaining=1, reset=45");
      expect((await request(app).get("/").expect(200)).headers["ratelimit"]).to.equal("limit=2, remaining=0, reset=45");
      const refused = await request(app).get("/").expect(429);
      expect(refused.body).to.deep.equal({ error: { code: "DRL-429-RATE-LIMITED", message: "too many requests; slow down" } });
      expect(refused.headers["retry-after"]).to.equal("45");
      expect(refused.headers["ratelimit"]).to.equal("limit=2, remaining=0, reset=45");
    });

    it("starts every client afresh when the clock enters the next window", async function () {
      const clock = { t: 59_999 };
      const app = limited(1, clock);
      await request(app).get("/").expect(200);
      await request(app).get("/").expect(429);
      clock.t = 60_000;
      const again = await request(app).get("/").expect(200);
      expect(again.headers["ratelimit"]).to.equal("limit=1, remaining=0, reset=60");
    });
  });

  describe("securityHeaders", function () {
    it("sets exactly the headers helmet sets, and removes X-Powered-By", async function () {
      const withHelmet = express();
      withHelmet.use(helmet());
      withHelmet.get("/", (_req, res) => res.send("x"));
      const ours = express();
      ours.use(securityHeaders());
      ours.get("/", (_req, res) => res.send("x"));
      const strip = (h: Record<string, unknown>) => {
        const { date: _d, etag: _e, ...rest } = h;
        return rest;
      };
      const a = await request(withHelmet).get("/").expect(200);
      const b = await request(ours).get("/").expect(200);
      expect(strip(b.headers)).to.deep.equal(strip(a.headers));
      expect(b.headers["x-powered-by"]).to.equal(undefined);
      expect(b.headers["content-security-policy"]).to.be.a("string");
    });
  });

  describe("verifyToken", function () {
    const secret = Buffer.alloc(32, 7);

    it("answers a token it verified before from memory, still refusing it once expired", function () {
      const { token } = issueToken(secret, "0x00000000000000000000000000000000000000aa", 100, 1_000);
      expect(verifyToken(secret, token, 1_050)?.sub).to.equal("0x00000000000000000000000000000000000000aa");
      expect(verifyToken(secret, token, 1_099)?.sub).to.equal("0x00000000000000000000000000000000000000aa");
      expect(verifyToken(secret, token, 1_100)).to.equal(undefined);
    });

    it("refuses a token whose MAC does not match, even after the genuine one was verified", function () {
      const { token } = issueToken(secret, "0x00000000000000000000000000000000000000bb", 100, 1_000);
      expect(verifyToken(secret, token, 1_001)).to.not.equal(undefined);
      const [body, mac] = token.split(".") as [string, string];
      const flipped = `${body}.${mac.slice(0, -2)}${mac.endsWith("AA") ? "AB" : "AA"}`;
      expect(verifyToken(secret, flipped, 1_001)).to.equal(undefined);
      expect(verifyToken(Buffer.alloc(32, 8), token, 1_001)).to.equal(undefined);
    });
  });
});
