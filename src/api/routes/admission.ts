import { z } from "zod";
import { RatingKind } from "../../domain/enums.js";
import { admissionSettings, listRatings, negativeList, positiveList } from "../../services/admission.js";
import { ApiError } from "../errors.js";
import { defineRoute } from "../route.js";
import { Address, At, Id, page, pageQuery } from "../schemas.js";

const PositiveEntry = z.object({ scenario: z.number(), listed: z.boolean(), descriptionHash: z.string(), by: z.string(), at: At }).strict();
const NegativeEntry = z.object({ domain: z.string(), category: z.string(), grade: z.string(), purposes: z.number(), reasonHash: z.string(), by: z.string(), at: At }).strict();
const RATING_KINDS = Object.keys(RatingKind) as [keyof typeof RatingKind, ...(keyof typeof RatingKind)[]];
const Rating = z
  .object({
    id: z.string(),
    kind: z.enum(RATING_KINDS),
    productId: z.string().nullable(),
    member: z.string().nullable(),
    certifier: z.string(),
    level: z.number(),
    expiry: z.number(),
    value: z.string(),
    reportHash: z.string(),
    revoked: z.boolean(),
    revocation: z.object({ by: z.string(), reasonHash: z.string(), at: At }).strict().nullable(),
    recorded: At,
    updated: At,
  })
  .strict();
const noQuery = z.object({}).strict();

export const admissionRoutes = (maxPage: number) => [
  defineRoute({
    method: "get",
    path: "/v1/admission/positive-list",
    operationId: "getPositiveList",
    summary: "The positive list (正面清单): encouraged scenarios",
    tag: "admission",
    audience: "public",
    query: z.object({ ...pageQuery(maxPage) }).strict(),
    response: page(PositiveEntry),
    handler: ({ query, deps }) => positiveList(deps.db, { cursor: query.cursor, limit: query.limit ?? 20 }),
  }),
  defineRoute({
    method: "get",
    path: "/v1/admission/negative-list",
    operationId: "getNegativeList",
    summary: "The negative list (负面清单): purposes prohibited per domain, category and grade",
    tag: "admission",
    audience: "member",
    query: noQuery,
    response: z.object({ items: z.array(NegativeEntry) }).strict(),
    handler: ({ deps }) => negativeList(deps.db),
  }),
  defineRoute({
    method: "get",
    path: "/v1/admission/settings",
    operationId: "getAdmissionSettings",
    summary: "Certification levels required per grade, government departments, the public beneficiary and the procurement agent",
    tag: "admission",
    audience: "member",
    query: noQuery,
    response: z
      .object({
        requiredLevels: z.array(z.object({ grade: z.string(), level: z.number(), by: z.string(), at: At }).strict()),
        governmentDepartments: z.array(z.object({ account: z.string(), marked: z.boolean(), by: z.string(), at: At }).strict()),
        governmentDepartmentsTruncated: z.boolean(),
        publicBeneficiary: z.string().nullable(),
        procurementAgent: z.string().nullable(),
      })
      .strict(),
    handler: ({ deps }) => admissionSettings(deps.db),
  }),
  defineRoute({
    method: "get",
    path: "/v1/ratings",
    operationId: "listRatings",
    summary: "Third-party ratings (第三方认证评级): certifications, qualifications, assessments, by product= or member=",
    tag: "admission",
    audience: "member",
    query: z.object({ product: Id.optional(), member: Address.optional(), kind: z.enum(RATING_KINDS).optional(), ...pageQuery(maxPage) }).strict(),
    response: page(Rating),
    handler: ({ query, deps }) => {
      if (query.product !== undefined && query.member !== undefined) throw new ApiError("VALIDATION", "give product or member, not both");
      return listRatings(deps.db, { productId: query.product === undefined ? undefined : BigInt(query.product), member: query.member, kind: query.kind }, { cursor: query.cursor, limit: query.limit ?? 20 });
    },
  }),
];
