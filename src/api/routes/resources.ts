import { z } from "zod";
import { Category, Domain, Grade } from "../../domain/enums.js";
import { getResource, listResources, resourceObjections, resourceRights, resourceVersions } from "../../services/resources.js";
import { defineRoute } from "../route.js";
import { Grant, Validity } from "./grants.js";
import { Address, At, Id, page, pageQuery } from "../schemas.js";

const names = <E extends Record<string, number>>(e: E) => Object.keys(e) as [string, ...string[]];

const Resource = z
  .object({
    id: z.string(),
    kind: z.string(),
    category: z.string(),
    grade: z.string(),
    domain: z.string(),
    openClass: z.string(),
    status: z.string(),
    version: z.number(),
    catalogueHash: z.string(),
    catalogueUri: z.string(),
    registeredAt: z.number(),
    holder: z.string().optional(),
    frozen: z.boolean().optional(),
    objections: z.number().optional(),
    openObjections: z.number().optional(),
    registered: At.optional(),
    updated: At.optional(),
  })
  .strict();
const params = z.object({ resourceId: Id }).strict();
const noQuery = z.object({}).strict();

export const resourceRoutes = (maxPage: number) => [
  defineRoute({
    method: "get",
    path: "/v1/resources",
    operationId: "listResources",
    summary: "Catalogue of data resources, filtered; the public sees unrestricted resources only",
    tag: "resources",
    audience: "public",
    query: z
      .object({
        domain: z.enum(names(Domain)).optional(),
        category: z.enum(names(Category)).optional(),
        grade: z.enum(names(Grade)).optional(),
        holder: Address.optional(),
        status: z.enum(["Active", "UnderObjection", "Cancelled"]).optional(),
        q: z.string().min(1).max(100).optional(),
        ...pageQuery(maxPage),
      })
      .strict(),
    response: page(Resource),
    handler: ({ query, caller, deps }) => listResources(deps.db, caller, query, { cursor: query.cursor, limit: query.limit ?? 20 }),
  }),
  defineRoute({
    method: "get",
    path: "/v1/resources/:resourceId",
    operationId: "getResource",
    summary: "One resource (catalogue fields; the holder, parties and regulators see its full state)",
    tag: "resources",
    audience: "public",
    errors: [404],
    params,
    query: noQuery,
    response: Resource,
    handler: ({ params, caller, deps }) => getResource(deps.db, caller, BigInt(params.resourceId)),
  }),
  defineRoute({
    method: "get",
    path: "/v1/resources/:resourceId/versions",
    operationId: "getResourceVersions",
    summary: "Every catalogue version of a resource",
    tag: "resources",
    audience: "public",
    errors: [404],
    params,
    query: noQuery,
    response: z.object({ items: z.array(z.object({ version: z.number(), catalogueHash: z.string(), catalogueUri: z.string(), at: At }).strict()) }).strict(),
    handler: ({ params, caller, deps }) => resourceVersions(deps.db, caller, BigInt(params.resourceId)),
  }),
  defineRoute({
    method: "get",
    path: "/v1/resources/:resourceId/objections",
    operationId: "getResourceObjections",
    summary: "Objections filed during the public-notice window, with their resolution",
    tag: "resources",
    audience: "member",
    errors: [404],
    params,
    query: noQuery,
    response: z
      .object({
        items: z.array(
          z.object({ resourceId: z.string(), objectionId: z.number(), objector: z.string(), evidenceHash: z.string(), filed: At, resolution: z.object({ upheld: z.boolean(), regulator: z.string(), reasonHash: z.string(), at: At }).strict().optional() }).strict(),
        ),
      })
      .strict(),
    handler: ({ params, caller, deps }) => resourceObjections(deps.db, caller, BigInt(params.resourceId)),
  }),
  defineRoute({
    method: "get",
    path: "/v1/resources/:resourceId/rights",
    operationId: "getResourceRights",
    summary: "Who holds which right over a resource now: the holder, and each valid grant with its chain",
    tag: "resources",
    audience: "member",
    errors: [404],
    params,
    query: noQuery,
    response: z
      .object({
        resourceId: z.string(),
        at: z.object({ block: z.number(), time: z.number() }).strict(),
        holding: z.object({ holder: z.string(), since: At }).strict(),
        grants: z.array(z.object({ grant: Grant, chain: z.array(z.string()), validity: Validity }).strict()),
        truncated: z.boolean(),
      })
      .strict(),
    handler: ({ params, caller, deps }) => resourceRights(deps.db, caller, BigInt(params.resourceId)),
  }),
];
