import { z } from "zod";
import { STAT_DIMENSIONS, getStats } from "../../services/stats.js";
import { defineRoute } from "../route.js";

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month, YYYY-MM");

export const statsRoutes = [
  defineRoute({
    method: "get",
    path: "/v1/stats",
    operationId: "getStats",
    summary: "Statistics for regulators (统计核算) by domain, category, grade, right type and month",
    tag: "stats",
    audience: "regulator",
    query: z.object({ dimension: z.enum(STAT_DIMENSIONS), from: Month.optional(), to: Month.optional() }).strict(),
    response: z.object({ dimension: z.string(), from: z.string().nullable(), to: z.string().nullable(), rows: z.array(z.object({ value: z.string(), month: z.string(), count: z.string() }).strict()), totals: z.record(z.string(), z.string()) }).strict(),
    handler: ({ query, deps }) => getStats(deps.db, query),
  }),
];
