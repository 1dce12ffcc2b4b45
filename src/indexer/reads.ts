import type { DecodedLog, EventOf, LedgerEventName } from "../chain/events.js";
import { Category, Domain, Grade, RightType, SanctionKind, SubjectKind, nameOf } from "../domain/enums.js";
import { subjectKey } from "../domain/trace.js";
import { K } from "../store/keys.js";
import { monthOf } from "./context.js";
import { REPORT_CATEGORIES } from "./handlers/supervision.js";

type Reads<N extends LedgerEventName> = (event: EventOf<N>, month: string) => string[];
type ReadMap = { [N in LedgerEventName]?: Reads<N> };

/**
 * The stored keys each handler reads, so that a range's reads go to LevelDB in a few getMany calls before the
 * handlers run. A key missing here is still read, one by one; a key listed but not read costs one lookup. Keys the
 * handlers only write (and undo reads inside the reorg window) are not listed.
 */
const READS: ReadMap = {
  MemberAdmitted: (_e, month) => [K.stat("members", "admitted", month)],
  RoleGranted: ({ args }) => [K.member(args.account)],
  RoleRevoked: ({ args }) => [K.member(args.account)],
  MemberSuspended: ({ args }) => [K.member(args.account)],
  MemberReinstated: ({ args }) => [K.member(args.account)],
  MemberExpelled: ({ args }) => [K.member(args.account)],
  ResourceRegistered: ({ args }, month) => [
    K.stat("resources.domain", nameOf(Domain, args.domain), month),
    K.stat("resources.category", nameOf(Category, args.category), month),
    K.stat("resources.grade", nameOf(Grade, args.grade), month),
  ],
  ResourceTransferred: ({ args }, month) => [K.resource(args.resourceId), K.stat("rights.transferred", "Holding", month)],
  ResourceChanged: ({ args }) => [K.resource(args.resourceId)],
  ResourceCancelled: ({ args }) => [K.resource(args.resourceId)],
  ObjectionFiled: ({ args }) => [K.resource(args.resourceId)],
  ObjectionResolved: ({ args }) => [K.resource(args.resourceId), K.objection(args.resourceId, args.objectionId)],
  ResourceFrozen: ({ args }) => [K.resource(args.resourceId)],
  ResourceUnfrozen: ({ args }) => [K.resource(args.resourceId)],
  GrantIssued: ({ args }, month) => {
    const subject = subjectKey(Number(args.subjectKind), args.subjectId);
    const keys = [K.party(args.grantee, subject), K.party(args.grantor, subject), K.stat("grants.right", nameOf(RightType, args.rightType), month)];
    if (args.parentId !== 0n) keys.push(K.grant(args.parentId));
    return keys;
  },
  GrantRevoked: ({ args }) => [K.grant(args.grantId)],
  GrantFrozen: ({ args }) => [K.grant(args.grantId)],
  GrantUnfrozen: ({ args }) => [K.grant(args.grantId)],
  OperationAuthorized: ({ args }, month) => [
    ...args.resourceIds.map((r) => K.party(args.operator, subjectKey(SubjectKind.Resource, r))),
    K.stat("operations.authorized", "all", month),
  ],
  OperationEvaluated: ({ args }) => [K.authorization(args.authorizationId)],
  OperationExitedBy: ({ args }) => [K.authorization(args.authorizationId)],
  ConsentRecorded: (_e, month) => [K.stat("consents.subjects", "all", month)],
  ConsentWithdrawn: ({ args }) => [K.consent(args.consentId)],
  ProductRegistered: ({ args }, month) => [K.stat("products.domain", nameOf(Domain, args.spec.domain), month)],
  ProductFrozen: ({ args }) => [K.product(args.productId)],
  ProductUnfrozen: ({ args }) => [K.product(args.productId)],
  ProductCancelled: ({ args }) => [K.product(args.productId)],
  ReportFiled: ({ args }, month) => [K.stat("reports.category", REPORT_CATEGORIES[Number(args.category)] ?? `Category${Number(args.category)}`, month)],
  ReportInvestigating: ({ args }) => [K.report(args.reportId)],
  ReportSubstantiated: ({ args }) => [K.report(args.reportId)],
  ReportDismissed: ({ args }) => [K.report(args.reportId)],
  DisputeOpened: (_e, month) => [K.stat("disputes.opened", "all", month)],
  EvidenceSubmitted: ({ args }) => [K.dispute(args.disputeId)],
  ArbiterProposed: ({ args }) => [K.dispute(args.disputeId)],
  ArbiterAssigned: ({ args }) => [K.dispute(args.disputeId), K.party(args.arbiter, subjectKey(SubjectKind.Dispute, args.disputeId))],
  RulingRecorded: ({ args }) => [K.dispute(args.disputeId)],
  RulingFreezeApplied: ({ args }) => [K.dispute(args.disputeId)],
  RulingFreezeLifted: ({ args }) => [K.dispute(args.disputeId)],
  AppealFiled: ({ args }) => [K.dispute(args.disputeId)],
  CompensationRecorded: ({ args }) => [K.dispute(args.disputeId)],
  RulingExecuted: ({ args }) => [K.dispute(args.disputeId)],
  DisputeWithdrawn: ({ args }) => [K.dispute(args.disputeId)],
  SanctionApplied: ({ args }, month) => [K.stat("sanctions.kind", nameOf(SanctionKind, args.kind), month)],
  SanctionLifted: ({ args }) => [K.sanction(args.sanctionId)],
  SevereApproved: ({ args }) => [K.severe(args.proposalId)],
  SevereExecuted: ({ args }) => [K.severe(args.proposalId)],
  SevereCancelled: ({ args }) => [K.severe(args.proposalId)],
  // Sequence 1 has no head to read (see handlers/trace.ts).
  TraceRecorded: ({ args }) => (args.seq === 1n ? [] : [K.traceHead(args.subject)]),
};

/** The keys the handlers will read for `log`, a block time `time` (unix seconds). */
export function readsOf(log: DecodedLog, time: number): string[] {
  const reads = READS[log.name] as ((e: DecodedLog, month: string) => string[]) | undefined;
  return reads ? reads(log, monthOf(time)) : [];
}
