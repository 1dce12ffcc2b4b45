import { z } from "zod";
import { ROLE_NAMES } from "../../domain/roles.js";
import { getMember, listMembers } from "../../services/members.js";
import { defineRoute } from "../route.js";
import { Address, At, pageQuery, page } from "../schemas.js";

const Member = z.object({ account: z.string(), orgId: z.string(), credentialHash: z.string(), roles: z.array(z.string()), status: z.string(), admitted: At, updated: At }).strict();

export const memberRoutes = (maxPage: number) => [
  defineRoute({
    method: "get",
    path: "/v1/members",
    operationId: "listMembers",
    summary: "The consortium directory: members with roles and status",
    tag: "members",
    audience: "member",
    query: z.object({ role: z.enum(ROLE_NAMES).optional(), status: z.enum(["Active", "Suspended", "Exited"]).optional(), ...pageQuery(maxPage) }).strict(),
    response: page(Member),
    handler: ({ query, deps }) => listMembers(deps.db, query, { cursor: query.cursor, limit: query.limit ?? 20 }),
  }),
  defineRoute({
    method: "get",
    path: "/v1/members/:address",
    operationId: "getMember",
    summary: "One member",
    tag: "members",
    audience: "member",
    errors: [404],
    params: z.object({ address: Address }).strict(),
    query: z.object({}).strict(),
    response: Member,
    handler: ({ params, deps }) => getMember(deps.db, params.address),
  }),
];
