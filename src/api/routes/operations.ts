import { z } from "zod";
import { getOperation, listOperations, operationImpact } from "../../services/operations.js";
import { defineRoute } from "../route.js";
import { Address, At, Id, page, pageQuery } from "../schemas.js";
import { Impact } from "../impact-schema.js";

const Authorization = z
  .object({
    id: z.string(),
    operator: z.string(),
    scenario: z.string(),
    conditionsHash: z.string(),
    validFrom: z.number(),
    validUntil: z.number(),
    resourceIds: z.array(z.string()),
    status: z.enum(["Active", "Exited"]),
    evaluations: z.number(),
    lastScore: z.number().nullable(),
    exit: z.object({ by: z.string(), forced: z.boolean(), reasonHash: z.string(), at: At }).strict().nullable(),
    granted: At,
    updated: At,
  })
  .strict();
const CoveredResource = z
  .object({
    id: z.string(),
    holder: z.string().nullable(),
    kind: z.string().nullable(),
    category: z.string().nullable(),
    grade: z.string().nullable(),
    domain: z.string().nullable(),
    status: z.string().nullable(),
    frozen: z.boolean().nullable(),
    visible: z.boolean(),
  })
  .strict();
const Evaluation = z.object({ authorizationId: z.string(), evaluator: z.string(), period: z.number(), score: z.number(), reportHash: z.string(), at: At }).strict();
const Point = z.object({ block: z.number(), time: z.number() }).strict();
const params = z.object({ authorizationId: Id }).strict();
const noQuery = z.object({}).strict();

export const operationRoutes = (maxPage: number) => [
  defineRoute({
    method: "get",
    path: "/v1/operations",
    operationId: "listOperations",
    summary: "Public-data operation authorizations: the caller's own as operator (regulators: all, or one operator's), by status",
    tag: "operations",
    audience: "member",
    errors: [404],
    query: z.object({ operator: Address.optional(), status: z.enum(["Active", "Exited"]).optional(), ...pageQuery(maxPage) }).strict(),
    response: page(Authorization),
    handler: ({ query, caller, deps }) => listOperations(deps.db, caller!, { operator: query.operator, status: query.status }, { cursor: query.cursor, limit: query.limit ?? 20 }),
  }),
  defineRoute({
    method: "get",
    path: "/v1/operations/:authorizationId",
    operationId: "getOperation",
    summary: "An operation authorization: whether it is in force now, the resources it covers, its newest evaluations",
    tag: "operations",
    audience: "member",
    errors: [404],
    params,
    query: noQuery,
    response: z.object({ authorization: Authorization, inForce: z.boolean(), at: Point, resources: z.array(CoveredResource), evaluations: z.array(Evaluation), evaluationsTruncated: z.boolean() }).strict(),
    handler: ({ params, caller, deps }) => getOperation(deps.db, caller, BigInt(params.authorizationId)),
  }),
  defineRoute({
    method: "get",
    path: "/v1/operations/:authorizationId/impact",
    operationId: "getOperationImpact",
    summary: "What the authorization's exit would make invalid: grants resting on it and below them, products built on those, their active listings and open trades",
    tag: "operations",
    audience: "member",
    errors: [404],
    params,
    query: noQuery,
    response: Impact.extend({ authorizationId: z.string() }),
    handler: ({ params, caller, deps }) => operationImpact(deps.db, caller, BigInt(params.authorizationId)),
  }),
];
