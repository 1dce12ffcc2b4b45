import express, { type Express, type Request, type Response } from "express";
import swaggerUi from "swagger-ui-express";
import { resolveCaller } from "./auth/caller.js";
import { NonceStore } from "./auth/nonces.js";
import type { ApiDeps } from "./deps.js";
import { API_ERRORS, ApiError } from "./errors.js";
import { errorHandler } from "./middleware/error-handler.js";
import { createMetrics } from "./middleware/metrics.js";
import { requestContext } from "./middleware/request-context.js";
import { rateLimit } from "./middleware/rate-limit.js";
import { securityHeaders } from "./middleware/security-headers.js";
import { buildOpenApi } from "./openapi.js";
import { SerializedJson, type AnyRoute } from "./route.js";
import { authRoutes } from "./routes/auth.js";
import { documentPaths, registerDocumentRoutes } from "./routes/documents.js";
import { grantRoutes } from "./routes/grants.js";
import { healthRoutes } from "./routes/health.js";
import { memberRoutes } from "./routes/members.js";
import { resourceRoutes } from "./routes/resources.js";
import { statsRoutes } from "./routes/stats.js";
import { traceRoutes } from "./routes/traces.js";
import { evidenceRoutes } from "./routes/evidence.js";
import { productRoutes } from "./routes/products.js";
import { operationRoutes } from "./routes/operations.js";
import { consentRoutes } from "./routes/consents.js";
import { listingRoutes } from "./routes/listings.js";
import { tradeRoutes } from "./routes/trades.js";
import { admissionRoutes } from "./routes/admission.js";
import { reportRoutes } from "./routes/reports.js";
import { disputeRoutes } from "./routes/disputes.js";
import { sanctionRoutes } from "./routes/sanctions.js";

/** Every JSON route of the API, declared once (one resource per file). */
export function apiRoutes(deps: ApiDeps, nonces: NonceStore): AnyRoute[] {
  const max = deps.config.maxPageSize;
  return [...healthRoutes, ...authRoutes(nonces), ...memberRoutes(max), ...resourceRoutes(max), ...grantRoutes(max), ...traceRoutes(max), ...productRoutes(max), ...operationRoutes(max), ...consentRoutes(max), ...listingRoutes(max), ...tradeRoutes(max), ...admissionRoutes(max), ...reportRoutes(max), ...disputeRoutes(max), ...sanctionRoutes(max), ...statsRoutes, ...evidenceRoutes];
}

/**
 * A JSON answer written as it is: express's res.send copies a body of 1,000 characters or more into a Buffer and
 * looks the type up in its MIME table on every call, a measurable share of a trace page's time in the API bench
 * (issue 6). Node sets Content-Length for a body given to end(), and sends none for HEAD.
 */
function sendJson(res: Response, text: string): void {
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.end(text);
}

/** The express app: security headers, request ids and logs, metrics, rate limits, validated routes, one error mapping. */
export function createApp(deps: ApiDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  // No ETag: express hashes every body for it (a trace page is ~28 KB), and the index moves with every block, so
  // a revalidation would rarely save a transfer; Cache-Control stays as helmet and the routes set it.
  app.set("etag", false);
  app.set("query parser", "simple");
  const nonces = new NonceStore();
  const routes = apiRoutes(deps, nonces);
  const metrics = createMetrics(deps.indexer);
  const openapi = { ...buildOpenApi(routes, { title: "DataRights Ledger API", version: "1.0.0" }) };
  Object.assign(openapi.paths, documentPaths);
  (openapi.components as Record<string, unknown>).schemas = {
    Error: { type: "object", properties: { error: { type: "object", properties: { code: { type: "string" }, message: { type: "string" } }, required: ["code", "message"] } }, required: ["error"] },
  };

  app.use(securityHeaders());
  app.use(requestContext(deps.logger, metrics));
  app.use("/v1/auth", rateLimit({ windowMs: 60_000, limit: deps.config.loginRateLimitPerMinute }));
  app.use(rateLimit({ windowMs: 60_000, limit: deps.config.rateLimitPerMinute }));

  app.get("/openapi.json", (_req, res) => {
    res.locals.route = "/openapi.json";
    res.json(openapi);
  });
  app.use("/docs", swaggerUi.serve, swaggerUi.setup(undefined, { swaggerOptions: { url: "/openapi.json" } }));
  app.get("/metrics", async (_req, res) => {
    res.locals.route = "/metrics";
    res.setHeader("Content-Type", metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });
  registerDocumentRoutes(app, deps);

  const parsers = new Map<string, ReturnType<typeof express.json>>();
  const jsonFor = (limit: string) => {
    if (!parsers.has(limit)) parsers.set(limit, express.json({ limit, strict: true, type: () => true }));
    return parsers.get(limit)!;
  };
  for (const r of routes) {
    const handlers = [
      async (req: Request, res: Response) => {
        res.locals.route = r.path;
        const caller = await resolveCaller(req, deps);
        if (r.audience !== "public" && !caller) throw new ApiError("UNAUTHENTICATED", "sign in first: POST /v1/auth/challenge, then /v1/auth/login");
        if (r.audience === "regulator" && !caller!.isRegulator) throw new ApiError("FORBIDDEN", "this route is for regulators");
        const params = r.params ? r.params.parse(req.params) : {};
        const query = r.query ? r.query.parse(req.query ?? {}) : {};
        if (!r.query && Object.keys(req.query ?? {}).length > 0) throw new ApiError("VALIDATION", "this route takes no query parameters");
        const body = r.body ? r.body.parse(req.body) : undefined;
        const out: unknown = await r.handler({ params, query, body, caller, deps });
        sendJson(res, out instanceof SerializedJson ? out.text : JSON.stringify(out));
      },
    ];
    if (r.method === "post") app.post(r.path, jsonFor(r.bodyLimit ?? "32kb"), ...handlers);
    else app.get(r.path, ...handlers);
  }

  app.use((req, res) => {
    res.locals.route ??= "unmatched";
    const known = routes.some((r) => new RegExp("^" + r.path.replace(/:[^/]+/g, "[^/]+") + "$").test(req.path));
    if (known) res.status(405).json({ error: { code: API_ERRORS.METHOD.code, message: `${req.method} is not allowed here` } });
    else res.status(404).json({ error: { code: API_ERRORS.NOT_FOUND.code, message: `no route ${req.method} ${req.path}` } });
  });
  app.use(errorHandler(deps.logger));
  return app;
}
