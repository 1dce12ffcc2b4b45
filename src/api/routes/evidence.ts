import { z } from "zod";
import { BundleSchema, VerdictSchema } from "../../evidence/schema.js";
import type { EvidenceBundle } from "../../evidence/bundle.js";
import { disputeBundle, subjectBundle, verify } from "../../services/evidence.js";
import { defineRoute } from "../route.js";
import { Hash32 } from "../schemas.js";

export const evidenceRoutes = [
  defineRoute({
    method: "get",
    path: "/v1/evidence/subjects/:subject",
    operationId: "getSubjectEvidence",
    summary: "The evidence bundle of a subject (a grant with its chain), anchored at the indexed head, verifiable offline",
    tag: "evidence",
    audience: "member",
    errors: [404, 503],
    params: z.object({ subject: Hash32 }).strict(),
    query: z.object({}).strict(),
    response: BundleSchema,
    handler: async ({ params, caller, deps }) => (await subjectBundle(deps, caller!, params.subject)) as unknown as z.infer<typeof BundleSchema>,
  }),
  defineRoute({
    method: "get",
    path: "/v1/evidence/disputes/:id",
    operationId: "getDisputeEvidence",
    summary: "The evidence bundle of a whole dispute (subjects, grant chains, lineage, members, evidence, rulings), for regulators, its parties and its arbiters",
    tag: "evidence",
    audience: "member",
    errors: [404, 503],
    params: z.object({ id: z.string().regex(/^[1-9][0-9]{0,18}$/, "must be a dispute id") }).strict(),
    query: z.object({}).strict(),
    response: BundleSchema,
    handler: async ({ params, caller, deps }) => (await disputeBundle(deps, caller!, BigInt(params.id))) as unknown as z.infer<typeof BundleSchema>,
  }),
  defineRoute({
    method: "post",
    path: "/v1/evidence/verify",
    operationId: "verifyEvidence",
    summary: "Verify a bundle against a block hash you trust; the verdict names the first failing check",
    tag: "evidence",
    audience: "public",
    errors: [413],
    bodyLimit: "50mb",
    body: z.object({ bundle: BundleSchema, trustedBlockHash: Hash32 }).strict(),
    response: VerdictSchema,
    handler: async ({ body }) => verify(body.bundle as unknown as EvidenceBundle, body.trustedBlockHash),
  }),
];
