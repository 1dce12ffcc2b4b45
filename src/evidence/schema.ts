import { z } from "zod";
import { BUNDLE_FORMAT } from "./bundle.js";

const hex = z.string().regex(/^0x[0-9a-fA-F]*$/, "must be 0x-prefixed hex").max(1_000_000);
const word = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be a 32-byte hex word");
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be an address");
const dec = z.string().regex(/^[0-9]{1,78}$/, "must be a decimal integer");

const rawEvent = z.object({ address, topics: z.array(word).max(4), data: hex, block: z.number().int().nonnegative(), blockHash: word, tx: word, txIndex: z.number().int().nonnegative(), logIndex: z.number().int().nonnegative() }).strict();

const at = { seq: dec, block: z.number().int().nonnegative(), tx: word };
const few = <T extends z.ZodTypeAny>(t: T) => z.array(t).max(10_000);

/** The dispute section of a dispute bundle (the verifier checks it against the proven entries). */
const DisputeSchema = z
  .object({
    id: dec,
    claimant: address,
    respondent: address,
    claimHash: word,
    subjects: z.array(word).max(8),
    status: z.string(),
    arbiters: few(z.object({ ...at, arbiter: address, by: address, appeal: z.boolean(), agreed: z.boolean() }).strict()),
    evidence: few(z.object({ ...at, party: address, evidenceHash: word, uri: z.string().max(512) }).strict()),
    rulings: few(
      z
        .object({
          ...at,
          arbiter: address,
          appeal: z.boolean(),
          rulingHash: word,
          appealDeadline: dec,
          outcomes: z.array(z.object({ kind: z.string(), subject: z.number().int().nonnegative(), beneficiary: address, amount: dec }).strict()).max(8),
        })
        .strict(),
    ),
    appeals: few(z.object({ ...at, appellant: address, groundsHash: word }).strict()),
    executions: few(z.object({ ...at, by: address, outcomesHash: word }).strict()),
    members: z.array(word).max(64),
    lineage: z
      .array(z.object({ product: word, depth: z.number().int().nonnegative(), inputs: z.array(z.object({ subject: word, grant: z.union([word, z.literal("")]), shareBps: z.number().int().nonnegative() }).strict()).max(64) }).strict())
      .max(64),
  })
  .strict();

/** The shape of an evidence bundle: what POST /v1/evidence/verify accepts and GET returns. */
export const BundleSchema = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    chainId: dec,
    contracts: z.record(z.string(), address),
    created: z.object({ at: z.string(), by: z.string(), tool: z.string() }).strict(),
    about: z.union([z.object({ kind: z.literal("subject"), subject: word }).strict(), z.object({ kind: z.literal("dispute"), subject: word, disputeId: dec }).strict()]),
    anchor: z.object({ number: z.number().int().nonnegative(), hash: word, header: z.record(z.string(), hex) }).strict(),
    subjects: z
      .array(
        z
          .object({
            subject: word,
            kind: z.string(),
            contract: address,
            slot: word,
            head: z.object({ seq: dec, word }).strict(),
            proof: z.object({ address, accountProof: z.array(hex).max(64), balance: hex, codeHash: word, nonce: hex, storageHash: word, storageProof: z.array(z.object({ key: hex, value: hex, proof: z.array(hex).max(64) }).strict()).max(8) }).strict(),
            entries: z
              .array(
                z
                  .object({
                    seq: dec,
                    action: z.number().int().nonnegative(),
                    actionName: z.string(),
                    actor: address,
                    payloadHash: word,
                    word,
                    trace: rawEvent,
                    event: rawEvent.extend({ contract: z.string(), name: z.string(), args: z.record(z.string(), z.unknown()) }),
                  })
                  .strict(),
              )
              .max(1_000_000),
          })
          .strict(),
      )
      .max(1_000),
    grants: z.array(z.object({ id: dec, chain: z.array(dec).max(16), validity: z.object({ valid: z.boolean(), reason: z.string(), atGrant: z.string() }).strict() }).strict()).max(1_000),
    documents: z.array(z.object({ hash: word, citedBy: z.array(word), included: z.boolean(), contentType: z.string().optional(), size: z.number().optional(), content: z.string().optional() }).strict()).max(10_000),
    dispute: DisputeSchema.optional(),
    digest: word,
  })
  .strict();

export const VerdictSchema = z
  .object({
    ok: z.boolean(),
    summary: z.string(),
    checks: z.array(z.object({ check: z.string(), ok: z.boolean(), detail: z.string() }).strict()),
    failure: z.object({ check: z.string(), ok: z.boolean(), detail: z.string() }).strict().optional(),
  })
  .strict();
