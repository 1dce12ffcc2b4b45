import { z } from "zod";
import { At } from "./schemas.js";

/** Response shapes of the supervision routes (reports, disputes, sanctions, severe-action proposals), as the indexer stores them. */
export const REPORT_STATUSES = ["Received", "Investigating", "Substantiated", "Dismissed"] as const;
export const DISPUTE_STATUSES = ["Open", "Ruled", "Appealed", "AppealRuled", "Executed", "Withdrawn"] as const;
export const SANCTION_KINDS = ["FreezeResource", "FreezeGrant", "FreezeProduct", "SuspendMember", "WithdrawConsent"] as const;
export const SEVERE_KINDS = ["ExpelMember", "ForcedExit", "TransferHolding"] as const;
export const PROPOSAL_STATUSES = ["Pending", "Executed", "Cancelled"] as const;

export const Report = z
  .object({
    id: z.string(),
    subject: z.string(),
    subjectKind: z.string(),
    subjectId: z.string(),
    category: z.number(),
    categoryName: z.string(),
    confidential: z.boolean(),
    reporter: z.string().nullable(),
    relay: z.string().nullable(),
    commitment: z.string().nullable(),
    evidenceHash: z.string(),
    status: z.enum(REPORT_STATUSES),
    sanctionIds: z.array(z.string()),
    filed: At,
    updated: At,
  })
  .strict();

export const ReportStep = z
  .object({ event: z.enum(["ReportFiled", "ReportInvestigating", "ReportSubstantiated", "ReportDismissed"]), by: z.string(), reasonHash: z.string().nullable(), status: z.enum(REPORT_STATUSES), at: At })
  .strict();

const Outcome = z.object({ kind: z.string(), subjectIndex: z.number(), subject: z.string().nullable(), beneficiary: z.string().nullable(), amount: z.string() }).strict();
const Ruling = z.object({ appeal: z.boolean(), arbiter: z.string(), rulingHash: z.string(), appealDeadline: z.number(), outcomes: z.array(Outcome), at: At }).strict();

export const Dispute = z
  .object({
    id: z.string(),
    claimant: z.string(),
    respondent: z.string(),
    claimHash: z.string(),
    subjects: z.array(z.string()),
    status: z.enum(DISPUTE_STATUSES),
    arbiter: z.string().nullable(),
    appealArbiter: z.string().nullable(),
    proposals: z.array(z.object({ party: z.string(), arbiter: z.string(), appeal: z.boolean(), at: At }).strict()),
    rulings: z.array(Ruling),
    appeal: z.object({ appellant: z.string(), groundsHash: z.string(), at: At }).strict().nullable(),
    execution: z.object({ by: z.string(), outcomesHash: z.string(), at: At }).strict().nullable(),
    compensations: z.array(z.object({ payer: z.string(), beneficiary: z.string(), amount: z.string(), at: At }).strict()),
    frozen: z.array(z.string()),
    withdrawal: z.object({ by: z.string(), reasonHash: z.string(), at: At }).strict().nullable(),
    evidenceCount: z.number(),
    opened: At,
    updated: At,
  })
  .strict();

export const DisputeStep = z.object({ event: z.string(), by: z.string(), status: z.enum(DISPUTE_STATUSES), at: At }).strict();
export const Evidence = z.object({ disputeId: z.string(), party: z.string(), evidenceHash: z.string(), uri: z.string(), at: At }).strict();

export const Sanction = z
  .object({
    id: z.string(),
    subject: z.string(),
    subjectKind: z.string(),
    subjectId: z.string(),
    cause: z.string(),
    causeKind: z.string(),
    causeId: z.string(),
    kind: z.enum(SANCTION_KINDS),
    by: z.string(),
    reasonHash: z.string(),
    lifted: z.object({ by: z.string(), reasonHash: z.string(), at: At }).strict().nullable(),
    applied: At,
    updated: At,
  })
  .strict();

export const SevereProposal = z
  .object({
    id: z.string(),
    kind: z.enum(SEVERE_KINDS),
    status: z.enum(PROPOSAL_STATUSES),
    cause: z.string(),
    proposer: z.string(),
    account: z.string(),
    targetId: z.string(),
    threshold: z.number(),
    approvers: z.array(z.string()),
    reasonHash: z.string(),
    execution: z.object({ by: z.string(), at: At }).strict().nullable(),
    cancellation: z.object({ by: z.string(), reasonHash: z.string(), at: At }).strict().nullable(),
    proposed: At,
    updated: At,
  })
  .strict();
