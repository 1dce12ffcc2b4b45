import type { DecodedLog, EventOf, LedgerEventName } from "../chain/events.js";
import { Category, Domain, Grade, RatingKind, RightType, SanctionKind, SubjectKind, nameOf } from "../domain/enums.js";
import { subjectKey } from "../domain/trace.js";
import { K, TRACE_CHUNK } from "../store/keys.js";
import { monthOf } from "./context.js";
import { REPORT_CATEGORIES } from "./handlers/supervision.js";
import { bytesText } from "./bytes-text.js";
import type { ProductRecord, TradeRecord } from "./records.js";
import type { WriteSet } from "../store/write-set.js";

/**
 * What the reads of one event may depend on beyond the event itself: a product's domain and a trade's currency and
 * product (counters are keyed by them), from the events earlier in the range or from records already prefetched.
 * Undefined while unknown: the keys that need it are then asked in a later round (see `rangeReads`).
 */
export interface ReadView {
  productDomain(id: bigint): string | undefined;
  trade(id: bigint): { productId: string; currency: string } | undefined;
}
type Reads<N extends LedgerEventName> = (event: EventOf<N>, month: string, view: ReadView) => string[];
type ReadMap = { [N in LedgerEventName]?: Reads<N> };

/**
 * The stored keys each handler reads, so that a range's reads go to LevelDB in a few getMany calls before the
 * handlers run. A key missing here is still read, one by one; a key listed but not read costs one lookup. Keys the
 * handlers only write (and undo reads inside the reorg window) are not listed.
 */
/** A record an event changes, with its history index (handlers append to it: context.ts appendHistory). */
const member = (account: string) => [K.member(account), K.historyIndex(K.memberHistory(account, ""))];
const resource = (id: bigint) => [K.resource(id), K.historyIndex(K.resourceHistory(id, ""))];
const grant = (id: bigint) => [K.grant(id), K.historyIndex(K.grantHistory(id, ""))];
const product = (id: bigint) => [K.product(id), K.historyIndex(K.productHistory(id, ""))];

const READS: ReadMap = {
  MemberAdmitted: ({ args }, month) => [K.stat("members", "admitted", month), K.historyIndex(K.memberHistory(args.account, ""))],
  RoleGranted: ({ args }) => [K.member(args.account)],
  RoleRevoked: ({ args }) => [K.member(args.account)],
  MemberSuspended: ({ args }) => member(args.account),
  MemberReinstated: ({ args }) => member(args.account),
  MemberExpelled: ({ args }) => member(args.account),
  ResourceRegistered: ({ args }, month) => [
    K.stat("resources.domain", nameOf(Domain, args.domain), month),
    K.stat("resources.category", nameOf(Category, args.category), month),
    K.stat("resources.grade", nameOf(Grade, args.grade), month),
  ],
  ResourceTransferred: ({ args }, month) => [...resource(args.resourceId), K.stat("rights.transferred", "Holding", month)],
  ResourceTransferredByRuling: ({ args }, month) => [...resource(args.resourceId), K.stat("rights.transferred", "HoldingByRuling", month)],
  ResourceChanged: ({ args }) => resource(args.resourceId),
  ResourceCancelled: ({ args }) => resource(args.resourceId),
  ObjectionFiled: ({ args }) => resource(args.resourceId),
  ObjectionResolved: ({ args }) => [...resource(args.resourceId), K.objection(args.resourceId, args.objectionId)],
  ResourceFrozen: ({ args }) => resource(args.resourceId),
  ResourceUnfrozen: ({ args }) => resource(args.resourceId),
  GrantIssued: ({ args }, month) => {
    const subject = subjectKey(Number(args.subjectKind), args.subjectId);
    const keys = [K.party(args.grantee, subject), K.party(args.grantor, subject), K.stat("grants.right", nameOf(RightType, args.rightType), month)];
    if (args.parentId !== 0n) keys.push(K.grant(args.parentId));
    return keys;
  },
  GrantRevoked: ({ args }) => grant(args.grantId),
  GrantFrozen: ({ args }) => grant(args.grantId),
  GrantUnfrozen: ({ args }) => grant(args.grantId),
  OperationAuthorized: ({ args }, month) => [
    ...args.resourceIds.map((r) => K.party(args.operator, subjectKey(SubjectKind.Resource, r))),
    K.stat("operations.authorized", "all", month),
  ],
  OperationEvaluated: ({ args }) => [K.authorization(args.authorizationId)],
  OperationExitedBy: ({ args }) => [K.authorization(args.authorizationId), K.historyIndex(K.authorizationHistory(args.authorizationId, ""))],
  ConsentRecorded: (_e, month) => [K.stat("consents.subjects", "all", month)],
  ConsentWithdrawn: ({ args }) => [K.consent(args.consentId), K.historyIndex(K.consentHistory(args.consentId, ""))],
  ProductRegistered: ({ args }, month) => [K.stat("products.domain", nameOf(Domain, args.spec.domain), month), ...args.inputs.map((i) => K.lineageChildCount(subjectKey(Number(i.kind), i.id)))],
  ProductFrozen: ({ args }) => product(args.productId),
  ProductUnfrozen: ({ args }) => product(args.productId),
  ProductCancelled: ({ args }) => product(args.productId),
  RatingRecorded: ({ args }, month) => [K.stat("ratings.kind", nameOf(RatingKind, args.kind), month)],
  RatingRevoked: ({ args }) => [K.rating(args.ratingId)],
  Listed: ({ args }, month, view) => {
    const domain = view.productDomain(args.productId);
    return [K.product(args.productId), ...(domain === undefined ? [] : [K.stat("listings.domain", domain, month)])];
  },
  PriceFiled: ({ args }) => [K.listing(args.listingId)],
  PriceApproved: ({ args }) => [K.listing(args.listingId)],
  PriceRejected: ({ args }) => [K.listing(args.listingId)],
  Delisted: ({ args }) => [K.listing(args.listingId)],
  TradeOpened: ({ args }, month, view) => {
    const keys = [K.product(args.trade.productId), K.party(args.buyer, subjectKey(SubjectKind.Listing, args.listingId)), K.stat("trades.kind", args.trade.procurement ? "Procurement" : "Purchase", month)];
    const domain = view.productDomain(args.trade.productId);
    if (domain !== undefined) keys.push(K.stat("trades.domain", domain, month), K.stat("trades.amount", `${domain}/${bytesText(args.opening.currency)}`, month));
    return keys;
  },
  DeliveryConfirmed: ({ args }) => [K.trade(args.tradeId)],
  TradeDisputed: ({ args }) => [K.trade(args.tradeId)],
  ReceiptConfirmed: ({ args }, month, view) => {
    const t = view.trade(args.tradeId);
    const domain = t === undefined ? undefined : view.productDomain(BigInt(t.productId));
    return [K.trade(args.tradeId), ...(t === undefined ? [] : [K.product(BigInt(t.productId))]), ...(t === undefined || domain === undefined ? [] : [K.stat("trades.confirmed", `${domain}/${t.currency}`, month)])];
  },
  EntitlementRecorded: ({ args }, _month, view) => {
    const t = view.trade(args.tradeId);
    return [K.trade(args.tradeId), ...(t === undefined ? [] : [K.owed(args.party, t.currency)])];
  },
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
  // The entry completing a chunk reads the chunk's other entries (handlers/trace.ts).
  TraceRecorded: ({ args }) => {
    if (args.seq === 1n) return [];
    const keys = [K.traceHead(args.subject)];
    if (args.seq % BigInt(TRACE_CHUNK) === 0n) for (let s = args.seq - BigInt(TRACE_CHUNK) + 1n; s < args.seq; s++) keys.push(K.trace(args.subject, s));
    return keys;
  },
};

/** The keys the handlers will read for `log`, a block time `time` (unix seconds), as far as `view` knows. */
export function readsOf(log: DecodedLog, time: number, view: ReadView = NO_VIEW): string[] {
  const reads = READS[log.name] as ((e: DecodedLog, month: string, view: ReadView) => string[]) | undefined;
  return reads ? reads(log, monthOf(time), view) : [];
}

const NO_VIEW: ReadView = { productDomain: () => undefined, trade: () => undefined };

/** Largest number of prefetch rounds per range: keys, then those keyed by a record, then by a record it names. */
const MAX_ROUNDS = 3;

/**
 * Prefetches the reads of a range's logs (in chain order) in rounds: each round's keys may depend on records the
 * previous round fetched (a trade's product, that product's domain) or on earlier events of the range (a product
 * registered, a trade opened), so every counter a handler bumps is fetched in a getMany, not one get per read.
 */
export async function prefetchRange(logs: readonly DecodedLog[], timeOf: (block: number) => number, ws: Pick<WriteSet, "prefetch" | "get">): Promise<void> {
  const asked = new Set<string>();
  // Product and trade records fetched in earlier rounds (read back from the write set, which serves them without
  // asking the store again).
  const known = new Map<string, string | undefined>();
  const peek = (key: string) => known.get(key);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const domains = new Map<bigint, string>();
    const trades = new Map<bigint, { productId: string; currency: string }>();
    const view: ReadView = {
      productDomain: (id) => domains.get(id) ?? parsed<ProductRecord>(peek(K.product(id)))?.domain,
      trade: (id) => {
        const t = trades.get(id) ?? parsed<TradeRecord>(peek(K.trade(id)));
        return t && { productId: t.productId, currency: t.currency };
      },
    };
    const fresh: string[] = [];
    for (const log of logs) {
      for (const k of readsOf(log, timeOf(log.blockNumber), view)) {
        if (!asked.has(k)) {
          asked.add(k);
          fresh.push(k);
        }
      }
      // What this event makes known to the reads of later events in the range.
      if (log.name === "ProductRegistered") domains.set(log.args.productId, nameOf(Domain, log.args.spec.domain));
      if (log.name === "TradeOpened") trades.set(log.args.tradeId, { productId: log.args.trade.productId.toString(), currency: bytesText(log.args.opening.currency) });
    }
    if (fresh.length === 0) return;
    await ws.prefetch(fresh);
    for (const k of fresh) if (k.startsWith("prod:") || k.startsWith("trd:")) known.set(k, await ws.get(k));
  }
}

const parsed = <T>(v: string | undefined): T | undefined => (v === undefined ? undefined : (JSON.parse(v) as T));
