import { z } from "zod";
import { getGrant, grantImpact, grantValidity, listGrants } from "../../services/grants.js";
import { defineRoute } from "../route.js";
import { Impact } from "../impact-schema.js";
import { Address, At, BlockNumber, Id, UnixTime, page, pageQuery } from "../schemas.js";

const Scope = z.object({ purposes: z.number(), region: z.number(), validFrom: z.number(), validUntil: z.number(), exclusive: z.boolean(), maySubGrant: z.boolean(), depth: z.number(), cap: z.string() }).strict();
export const Validity = z.object({ valid: z.boolean(), reason: z.string(), atGrant: z.string() }).strict();
export const Grant = z
  .object({
    id: z.string(),
    parentId: z.string(),
    ancestry: z.array(z.string()),
    grantee: z.string(),
    grantor: z.string(),
    rightType: z.string(),
    subjectKind: z.string(),
    subjectId: z.string(),
    scope: Scope,
    termsHash: z.string(),
    authorizationId: z.string(),
    consentId: z.string(),
    revoked: z.boolean(),
    frozen: z.boolean(),
    issued: At,
    updated: At,
  })
  .strict();
const Point = z.object({ block: z.number(), time: z.number() }).strict();
const params = z.object({ grantId: Id }).strict();
const noQuery = z.object({}).strict();

export const grantRoutes = (maxPage: number) => [
  defineRoute({
    method: "get",
    path: "/v1/grants",
    operationId: "listGrants",
    summary: "Grants the caller received or gave (regulators: any member's), or those over a resource",
    tag: "grants",
    audience: "member",
    errors: [404],
    query: z.object({ member: Address.optional(), role: z.enum(["grantee", "grantor"]).optional(), resourceId: Id.optional(), ...pageQuery(maxPage) }).strict(),
    response: page(Grant),
    handler: ({ query, caller, deps }) =>
      listGrants(deps.db, caller!, { member: query.member, role: query.role ?? "grantee", resourceId: query.resourceId === undefined ? undefined : BigInt(query.resourceId) }, { cursor: query.cursor, limit: query.limit ?? 20 }),
  }),
  defineRoute({
    method: "get",
    path: "/v1/grants/:grantId",
    operationId: "getGrant",
    summary: "A grant with its chain of ancestors, each with its validity now",
    tag: "grants",
    audience: "member",
    errors: [404],
    params,
    query: noQuery,
    response: z.object({ grant: Grant, validity: Validity, chain: z.array(Grant.extend({ validity: Validity })), at: Point }).strict(),
    handler: ({ params, caller, deps }) => getGrant(deps.db, caller, BigInt(params.grantId)),
  }),
  defineRoute({
    method: "get",
    path: "/v1/grants/:grantId/validity",
    operationId: "getGrantValidity",
    summary: "Whether a grant is valid now, at a past block, or at a time; with the reason and the failing link",
    tag: "grants",
    audience: "member",
    errors: [404],
    params,
    query: z.object({ block: BlockNumber.optional(), time: UnixTime.optional() }).strict(),
    response: Validity.extend({ grantId: z.string(), at: Point }),
    handler: ({ params, query, caller, deps }) => grantValidity(deps.db, caller, BigInt(params.grantId), query),
  }),
  defineRoute({
    method: "get",
    path: "/v1/grants/:grantId/impact",
    operationId: "getGrantImpact",
    summary: "What revoking or freezing this grant would make invalid: grants below it, products resting on those, their active listings and open trades",
    tag: "grants",
    audience: "member",
    errors: [404],
    params,
    query: noQuery,
    response: Impact.extend({ grantId: z.string() }),
    handler: ({ params, caller, deps }) => grantImpact(deps.db, caller, BigInt(params.grantId)),
  }),
];
