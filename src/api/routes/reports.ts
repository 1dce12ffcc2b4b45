import { z } from "zod";
import { getReport, listReports } from "../../services/reports.js";
import { defineRoute } from "../route.js";
import { Hash32, Id, page, pageQuery } from "../schemas.js";
import { REPORT_STATUSES, Report, ReportStep } from "../supervision-schemas.js";

export const reportRoutes = (maxPage: number) => [
  defineRoute({
    method: "get",
    path: "/v1/reports",
    operationId: "listReports",
    summary: "Violation reports and privacy complaints: regulators all; a reporter its own non-confidential reports",
    tag: "supervision",
    audience: "member",
    query: z
      .object({
        status: z.enum(REPORT_STATUSES).optional(),
        subject: Hash32.optional(),
        category: z.string().regex(/^[1-9][0-9]{0,4}$/, "must be a category code").transform(Number).optional(),
        ...pageQuery(maxPage),
      })
      .strict(),
    response: page(Report),
    handler: ({ query, caller, deps }) => listReports(deps.db, caller!, { status: query.status, subject: query.subject, category: query.category }, { cursor: query.cursor, limit: query.limit ?? 20 }),
  }),
  defineRoute({
    method: "get",
    path: "/v1/reports/:reportId",
    operationId: "getReport",
    summary: "A report and its triage steps",
    tag: "supervision",
    audience: "member",
    errors: [404],
    params: z.object({ reportId: Id }).strict(),
    query: z.object({}).strict(),
    response: z.object({ report: Report, history: z.array(ReportStep) }).strict(),
    handler: ({ params, caller, deps }) => getReport(deps.db, caller, BigInt(params.reportId)),
  }),
];
