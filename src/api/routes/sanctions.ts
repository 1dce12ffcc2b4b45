import { z } from "zod";
import { listSanctions, listSevereProposals } from "../../services/sanctions.js";
import { defineRoute } from "../route.js";
import { Hash32, page, pageQuery } from "../schemas.js";
import { PROPOSAL_STATUSES, SEVERE_KINDS, Sanction, SevereProposal } from "../supervision-schemas.js";

export const sanctionRoutes = (maxPage: number) => [
  defineRoute({
    method: "get",
    path: "/v1/sanctions",
    operationId: "listSanctions",
    summary: "Sanctions (freezes, suspensions, consent withdrawals) with their cause; filters: subject=, cause= (a report or dispute key), lifted=",
    tag: "supervision",
    audience: "regulator",
    query: z.object({ subject: Hash32.optional(), cause: Hash32.optional(), lifted: z.enum(["true", "false"]).optional(), ...pageQuery(maxPage) }).strict(),
    response: page(Sanction),
    handler: ({ query, deps }) =>
      listSanctions(deps.db, { subject: query.subject, cause: query.cause, lifted: query.lifted === undefined ? undefined : query.lifted === "true" }, { cursor: query.cursor, limit: query.limit ?? 20 }),
  }),
  defineRoute({
    method: "get",
    path: "/v1/severe-proposals",
    operationId: "listSevereProposals",
    summary: "Severe-action proposals (expulsion, forced exit, holding transfer by ruling) with their approvals, for regulators and arbiters",
    tag: "supervision",
    audience: "member",
    query: z.object({ status: z.enum(PROPOSAL_STATUSES).optional(), kind: z.enum(SEVERE_KINDS).optional(), ...pageQuery(maxPage) }).strict(),
    response: page(SevereProposal),
    handler: ({ query, caller, deps }) => listSevereProposals(deps.db, caller!, { status: query.status, kind: query.kind }, { cursor: query.cursor, limit: query.limit ?? 20 }),
  }),
];
