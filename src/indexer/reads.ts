import type { DecodedLog, EventOf, LedgerEventName } from "../chain/events.js";
import { Category, Domain, Grade, RatingKind, RightType, SubjectKind, nameOf } from "../domain/enums.js";
import { bytesText } from "./bytes-text.js";
import { subjectKey } from "../domain/trace.js";
import { K } from "../store/keys.js";
import { monthOf } from "./context.js";

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
  // Market: records by id and the parties of a listing; statistics keyed by a product's domain or a trade's
  // currency come from the second pass (DEPENDENT_READS), which knows them.
  Listed: ({ args }) => [K.product(args.productId)],
  PriceFiled: ({ args }) => [K.listing(args.listingId)],
  PriceApproved: ({ args }) => [K.listing(args.listingId)],
  PriceRejected: ({ args }) => [K.listing(args.listingId)],
  Delisted: ({ args }) => [K.listing(args.listingId)],
  TradeOpened: ({ args }, month) => [
    K.product(args.trade.productId),
    K.party(args.buyer, subjectKey(SubjectKind.Listing, args.listingId)),
    K.stat("trades.kind", args.trade.procurement ? "Procurement" : "Purchase", month),
  ],
  DeliveryConfirmed: ({ args }) => [K.trade(args.tradeId)],
  ReceiptConfirmed: ({ args }) => [K.trade(args.tradeId)],
  TradeDisputed: ({ args }) => [K.trade(args.tradeId)],
  EntitlementRecorded: ({ args }) => [K.trade(args.tradeId)],
  RatingRecorded: ({ args }, month) => [K.stat("ratings.kind", nameOf(RatingKind, args.kind), month)],
  RatingRevoked: ({ args }) => [K.rating(args.ratingId)],
  // Sequence 1 has no head to read (see handlers/trace.ts).
  TraceRecorded: ({ args }) => (args.seq === 1n ? [] : [K.traceHead(args.subject)]),
};

/** The keys the handlers will read for `log`, a block time `time` (unix seconds). */
export function readsOf(log: DecodedLog, time: number): string[] {
  const reads = READS[log.name] as ((e: DecodedLog, month: string) => string[]) | undefined;
  return reads ? reads(log, monthOf(time)) : [];
}

/**
 * What the second pass knows of the range: each trade's product and currency, each product's domain, from this
 * range's own events first (a trade opened and confirmed in one range), then from the records the first pass read.
 */
export interface RangeFacts {
  trade(id: bigint): { productId: string; currency: string } | undefined;
  domain(productId: string): string | undefined;
}

type DependentReads<N extends LedgerEventName> = (event: EventOf<N>, month: string, facts: RangeFacts) => string[];
type DependentReadMap = { [N in LedgerEventName]?: DependentReads<N> };

/** Reads whose keys depend on a record: market statistics by domain and currency, what each party is owed. */
const DEPENDENT_READS: DependentReadMap = {
  Listed: ({ args }, month, f) => {
    const domain = f.domain(args.productId.toString());
    return domain === undefined ? [] : [K.stat("listings.domain", domain, month)];
  },
  TradeOpened: ({ args }, month, f) => {
    const domain = f.domain(args.trade.productId.toString());
    return domain === undefined ? [] : [K.stat("trades.domain", domain, month), K.stat("trades.amount", `${domain}/${bytesText(args.opening.currency)}`, month)];
  },
  ReceiptConfirmed: ({ args }, month, f) => {
    const t = f.trade(args.tradeId);
    const domain = t && f.domain(t.productId);
    return t === undefined || domain === undefined ? [] : [K.product(BigInt(t.productId)), K.stat("trades.confirmed", `${domain}/${t.currency}`, month)];
  },
  EntitlementRecorded: ({ args }, _month, f) => {
    const t = f.trade(args.tradeId);
    return t === undefined ? [] : [K.owed(args.party, t.currency)];
  },
};

/** The second pass's keys for `log`. */
export function dependentReadsOf(log: DecodedLog, time: number, facts: RangeFacts): string[] {
  const reads = DEPENDENT_READS[log.name] as ((e: DecodedLog, month: string, f: RangeFacts) => string[]) | undefined;
  return reads ? reads(log, monthOf(time), facts) : [];
}

/** The facts of a range: its own ProductRegistered and TradeOpened events, then `peek` at what the first pass read. */
export function rangeFacts(logs: readonly DecodedLog[], peek: (key: string) => string | undefined): RangeFacts {
  const trades = new Map<bigint, { productId: string; currency: string }>();
  const domains = new Map<string, string>();
  for (const log of logs) {
    if (log.name === "TradeOpened") trades.set(log.args.tradeId, { productId: log.args.trade.productId.toString(), currency: bytesText(log.args.opening.currency) });
    else if (log.name === "ProductRegistered") domains.set(log.args.productId.toString(), nameOf(Domain, log.args.spec.domain));
  }
  return {
    trade(id) {
      const known = trades.get(id);
      if (known) return known;
      const stored = peek(K.trade(id));
      if (stored === undefined) return undefined;
      const t = JSON.parse(stored) as { productId: string; currency: string };
      return { productId: t.productId, currency: t.currency };
    },
    domain(productId) {
      const known = domains.get(productId);
      if (known) return known;
      const stored = peek(K.product(BigInt(productId)));
      return stored === undefined ? undefined : (JSON.parse(stored) as { domain: string }).domain;
    },
  };
}
