import { z } from "zod";
import { getDispute, listDisputes } from "../../services/disputes.js";
import { defineRoute } from "../route.js";
import { Address, Id, page, pageQuery } from "../schemas.js";
import { DISPUTE_STATUSES, Dispute, DisputeStep, Evidence, Sanction } from "../supervision-schemas.js";

export const disputeRoutes = (maxPage: number) => [
  defineRoute({
    method: "get",
    path: "/v1/disputes",
    operationId: "listDisputes",
    summary: "Disputes: regulators all (or one member's with party=); parties theirs; an arbiter those assigned to it",
    tag: "supervision",
    audience: "member",
    errors: [404],
    query: z.object({ status: z.enum(DISPUTE_STATUSES).optional(), party: Address.optional(), ...pageQuery(maxPage) }).strict(),
    response: page(Dispute),
    handler: ({ query, caller, deps }) => listDisputes(deps.db, caller!, { status: query.status, party: query.party }, { cursor: query.cursor, limit: query.limit ?? 20 }),
  }),
  defineRoute({
    method: "get",
    path: "/v1/disputes/:disputeId",
    operationId: "getDispute",
    summary: "A dispute with its evidence, rulings and outcomes, appeal, execution, compensation, interim freezes and the sanctions it caused",
    tag: "supervision",
    audience: "member",
    errors: [404],
    params: z.object({ disputeId: Id }).strict(),
    query: z.object({}).strict(),
    response: z.object({ dispute: Dispute, evidence: z.array(Evidence), evidenceTruncated: z.boolean(), history: z.array(DisputeStep), sanctions: z.array(Sanction) }).strict(),
    handler: ({ params, caller, deps }) => getDispute(deps.db, caller, BigInt(params.disputeId)),
  }),
];
