import { z } from "zod";
import { consentImpact, getConsent, listConsents } from "../../services/consents.js";
import { defineRoute } from "../route.js";
import { At, Id, page, pageQuery } from "../schemas.js";
import { Impact } from "../impact-schema.js";

const Consent = z
  .object({
    id: z.string(),
    resourceId: z.string(),
    holder: z.string(),
    commitment: z.string(),
    purposes: z.number(),
    subjects: z.number(),
    expiry: z.number(),
    recorded: At,
    updated: At,
  })
  .strict();
const Withdrawal = z.object({ by: z.string(), withdrawn: z.number(), remaining: z.number(), reasonHash: z.string(), at: At }).strict();
const Point = z.object({ block: z.number(), time: z.number() }).strict();

const params = z.object({ consentId: Id }).strict();
const noQuery = z.object({}).strict();

export const consentRoutes = (maxPage: number) => [
  defineRoute({
    method: "get",
    path: "/v1/consents",
    operationId: "listConsents",
    summary: "Personal-information consents on the caller's resources (regulators: all), or on one resource",
    tag: "consents",
    audience: "member",
    query: z.object({ resourceId: Id.optional(), ...pageQuery(maxPage) }).strict(),
    response: page(Consent),
    handler: ({ query, caller, deps }) => listConsents(deps.db, caller!, { resourceId: query.resourceId === undefined ? undefined : BigInt(query.resourceId) }, { cursor: query.cursor, limit: query.limit ?? 20 }),
  }),
  defineRoute({
    method: "get",
    path: "/v1/consents/:consentId",
    operationId: "getConsent",
    summary: "A consent, whether it is live now, and its withdrawals",
    tag: "consents",
    audience: "member",
    errors: [404],
    params,
    query: noQuery,
    response: z.object({ consent: Consent, live: z.boolean(), at: Point, withdrawals: z.array(Withdrawal) }).strict(),
    handler: ({ params, caller, deps }) => getConsent(deps.db, caller, BigInt(params.consentId)),
  }),
  defineRoute({
    method: "get",
    path: "/v1/consents/:consentId/impact",
    operationId: "getConsentImpact",
    summary: "What withdrawing the consent would make invalid: grants resting on it and below them, products built on those, their active listings and open trades",
    tag: "consents",
    audience: "member",
    errors: [404],
    params,
    query: noQuery,
    response: Impact.extend({ consentId: z.string() }),
    handler: ({ params, caller, deps }) => consentImpact(deps.db, caller, BigInt(params.consentId)),
  }),
];
