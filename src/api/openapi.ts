import { z } from "zod";
import { API_ERRORS } from "./errors.js";
import type { AnyRoute } from "./route.js";

const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }).strict() }).strict();

const jsonSchema = (schema: z.ZodType, io: "input" | "output") => z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" });

/** The OpenAPI 3.1 document, generated from the routes' own zod schemas (the ones that validate requests). */
export function buildOpenApi(routes: readonly AnyRoute[], info: { title: string; version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
    const parameters: unknown[] = [];
    for (const [where, schema] of [["path", r.params], ["query", r.query]] as const) {
      if (!schema) continue;
      const js = jsonSchema(schema, "input") as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, prop] of Object.entries(js.properties ?? {})) {
        parameters.push({ name, in: where, required: where === "path" || (js.required ?? []).includes(name), schema: prop });
      }
    }
    // 401 on every route: a token that is invalid, expired or of a member no longer active is refused on public
    // routes too. A JSON body can be too large (413) or in an unsupported charset or encoding (415).
    const statuses = new Set<number>([400, 401, 429, 500, ...(r.audience === "public" ? [] : [403]), ...(r.body ? [413, 415] : []), ...(r.errors ?? [])]);
    const responses: Record<string, unknown> = {
      "200": { description: "OK", content: { "application/json": { schema: jsonSchema(r.response, "output") } } },
    };
    for (const s of [...statuses].sort()) {
      const known = Object.values(API_ERRORS).filter((e) => e.status === s).map((e) => e.code);
      responses[String(s)] = { description: known.join(", ") || "error", content: { "application/json": { schema: jsonSchema(errorSchema, "output") } } };
    }
    (paths[path] ??= {})[r.method] = {
      operationId: r.operationId,
      summary: r.summary,
      tags: [r.tag],
      ...(r.audience === "public" ? { security: [] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(r.body ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(r.body, "input") } } } } : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: { ...info, description: "DataRights Ledger REST API: rights, grants, traces and evidence of a data-element market ledger." },
    servers: [{ url: "/" }],
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "Token from POST /v1/auth/login (EIP-4361 sign-in)." } } },
    security: [{ bearer: [] }],
    paths,
  };
}
