import { z } from "zod";
import { getTrace } from "../../services/traces.js";
import { defineRoute } from "../route.js";
import { Hash32, At, pageQuery } from "../schemas.js";

// An entry without the subject and contract: the page names them once (they would be a quarter of its bytes).
const Entry = z.object({ seq: z.string(), action: z.number(), actionName: z.string(), actor: z.string(), payloadHash: z.string(), word: z.string(), at: At, logIndex: z.number() }).strict();

export const traceRoutes = (maxPage: number) => [
  defineRoute({
    method: "get",
    path: "/v1/traces/:subject",
    operationId: "getTrace",
    summary: "The trace of a subject (32-byte subject key): entries in order, each with the running word",
    tag: "traces",
    audience: "member",
    errors: [404],
    params: z.object({ subject: Hash32 }).strict(),
    query: z.object(pageQuery(maxPage)).strict(),
    response: z.object({ subject: z.string(), contract: z.string(), head: z.object({ seq: z.string(), word: z.string() }).strict(), items: z.array(Entry), nextCursor: z.string().nullable() }).strict(),
    handler: ({ params, query, caller, deps }) => getTrace(deps.db, caller, params.subject, { cursor: query.cursor, limit: query.limit ?? 50 }),
  }),
];
