import express, { type Express, type Request } from "express";
import type { ApiDeps } from "../deps.js";
import { ApiError, notFound } from "../errors.js";
import { resolveCaller } from "../auth/caller.js";
import { canReadDocument } from "../../services/document-access.js";
import { Hash32 } from "../schemas.js";

/** The content types a document may have (terms, evidence and rulings are documents, not programs). */
export const DOCUMENT_TYPES = ["application/pdf", "application/json", "text/plain", "text/csv", "image/png", "image/jpeg", "application/octet-stream"] as const;

/**
 * Upload and download of documents referenced on-chain by hash. These carry file bytes rather than JSON, so they
 * are registered here by hand; their OpenAPI entries are {@link documentPaths}.
 */
export function registerDocumentRoutes(app: Express, deps: ApiDeps): void {
  const caller = async (req: Request) => {
    const c = await resolveCaller(req, deps);
    if (!c) throw new ApiError("UNAUTHENTICATED", "sign in to read or upload documents");
    return c;
  };

  app.post(
    "/v1/documents",
    // Who first, then what: an anonymous upload is refused before its body is read.
    async (req, res, next) => {
      res.locals.route = "/v1/documents";
      res.locals.caller = await caller(req);
      const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
      if (!(DOCUMENT_TYPES as readonly string[]).includes(type)) return next(new ApiError("UNSUPPORTED_TYPE", `content type must be one of ${DOCUMENT_TYPES.join(", ")}`));
      next();
    },
    express.raw({ type: () => true, limit: deps.config.maxDocumentBytes }),
    async (req, res) => {
      const c = res.locals.caller as Awaited<ReturnType<typeof caller>>;
      const body = req.body as unknown;
      if (!Buffer.isBuffer(body) || body.length === 0) throw new ApiError("VALIDATION", "the document is empty");
      const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
      const meta = await deps.documents.put(body, type, c.address, deps.now());
      res.status(201).json({ hash: meta.hash, size: meta.size, contentType: meta.contentType });
    },
  );

  app.get("/v1/documents/:hash", async (req, res) => {
    res.locals.route = "/v1/documents/:hash";
    const c = await caller(req);
    const hash = Hash32.parse(req.params.hash);
    if (Object.keys(req.query).length > 0) throw new ApiError("VALIDATION", "this route takes no query parameters");
    const meta = await deps.documents.meta(hash);
    if (!meta || !(await canReadDocument(deps.db, c, meta))) throw notFound(`document ${hash}`);
    // get() re-checks the bytes against the hash before anything is sent.
    const doc = await deps.documents.get(hash);
    if (!doc) throw notFound(`document ${hash}`);
    res.setHeader("Content-Type", doc.meta.contentType);
    res.setHeader("X-Document-Hash", doc.meta.hash);
    res.setHeader("Content-Disposition", `attachment; filename="${doc.meta.hash}"`);
    res.send(doc.bytes);
  });
}

const err = { $ref: "#/components/schemas/Error" };
const binary = Object.fromEntries(DOCUMENT_TYPES.map((t) => [t, { schema: { type: "string", format: "binary" } }]));
export const documentPaths = {
  "/v1/documents": {
    post: {
      operationId: "uploadDocument",
      summary: "Upload a document; returns the keccak256 hash to cite on-chain",
      tags: ["documents"],
      requestBody: { required: true, content: binary },
      responses: {
        "201": { description: "Stored", content: { "application/json": { schema: { type: "object", properties: { hash: { type: "string" }, size: { type: "number" }, contentType: { type: "string" } }, required: ["hash", "size", "contentType"], additionalProperties: false } } } },
        ...Object.fromEntries(["400", "401", "413", "415", "429", "500"].map((s) => [s, { description: "error", content: { "application/json": { schema: err } } }])),
      },
    },
  },
  "/v1/documents/{hash}": {
    get: {
      operationId: "getDocument",
      summary: "Download a document the caller may read (its bytes are re-checked against the hash)",
      tags: ["documents"],
      parameters: [{ name: "hash", in: "path", required: true, schema: { type: "string", pattern: "^0x[0-9a-fA-F]{64}$" } }],
      responses: {
        // Served with the content type it was uploaded with.
        "200": { description: "The document", content: binary },
        // 500: the stored bytes no longer match their hash (nothing is served).
        ...Object.fromEntries(["400", "401", "404", "429", "500"].map((s) => [s, { description: "error", content: { "application/json": { schema: err } } }])),
      },
    },
  },
};
