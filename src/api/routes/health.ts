import { z } from "zod";
import { ApiError } from "../errors.js";
import { defineRoute } from "../route.js";
import { Empty } from "../schemas.js";

const Status = z.object({ checkpoint: z.object({ block: z.number(), hash: z.string().nullable() }).strict(), head: z.number(), lag: z.number(), caughtUp: z.boolean() }).strict();

export const healthRoutes = [
  defineRoute({ method: "get", path: "/health", operationId: "health", summary: "The process is up", tag: "ops", audience: "public", query: Empty, response: z.object({ status: z.literal("ok") }).strict(), handler: async () => ({ status: "ok" as const }) }),
  defineRoute({
    method: "get",
    path: "/ready",
    operationId: "ready",
    summary: "200 once the indexer has caught up with the chain, 503 before",
    tag: "ops",
    audience: "public",
    query: Empty,
    errors: [503],
    response: z.object({ status: z.literal("ready") }).strict(),
    handler: async ({ deps }) => {
      const s = deps.indexer.status();
      if (!s.caughtUp) throw new ApiError("NOT_READY", `indexing is not complete (block ${s.checkpoint.block} of ${s.head})`);
      return { status: "ready" as const };
    },
  }),
  defineRoute({
    method: "get",
    path: "/status",
    operationId: "status",
    summary: "Indexer checkpoint, chain head and lag",
    tag: "ops",
    audience: "public",
    query: Empty,
    response: Status,
    handler: async ({ deps }) => {
      const s = deps.indexer.status();
      return { checkpoint: s.checkpoint, head: s.head, lag: Math.max(0, s.head - s.checkpoint.block), caughtUp: s.caughtUp };
    },
  }),
];
