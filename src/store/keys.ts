/**
 * Key codecs. Keys are ASCII strings: a short table prefix, then fixed-width parts joined by ":" so that
 * lexicographic order is numeric order (what LevelDB iterates by).
 */

/** A zero-padded decimal of fixed width. */
export const pad = (n: number | bigint, width: number): string => {
  const s = n.toString();
  if (s.length > width) throw new RangeError(`${s} does not fit in ${width} digits`);
  return s.padStart(width, "0");
};

/** Fixed-width, sortable position of a log: block (12 digits), transaction index (6), log index (6). */
export interface Checkpoint {
  blockNumber: number;
  transactionIndex: number;
  logIndex: number;
}

export const encodeCheckpoint = (c: Checkpoint): string =>
  `${pad(c.blockNumber, 12)}${pad(c.transactionIndex, 6)}${pad(c.logIndex, 6)}`;

export const decodeCheckpoint = (s: string): Checkpoint => ({
  blockNumber: Number(s.slice(0, 12)),
  transactionIndex: Number(s.slice(12, 18)),
  logIndex: Number(s.slice(18, 24)),
});

/** The checkpoint just after every log of `block`: the upper bound of "state as of block B". */
export const endOfBlock = (block: number): string => `${pad(block, 12)}999999999999`;

export const id20 = (id: bigint | number): string => pad(id, 20);
export const block12 = (block: number): string => pad(block, 12);

/** Trace entries per K.traceChunk. */
export const TRACE_CHUNK = 10;

/** Every key prefix the store uses, in one place. */
export const K = {
  meta: (name: string) => `meta:${name}`,
  /** Headers of the blocks inside the reorg window (hash, parent hash, time). */
  header: (block: number) => `hdr:${block12(block)}`,
  /** Timestamps of every block that holds a ledger event (for "valid at time T" and statistics by month). */
  blockTime: (block: number) => `bts:${block12(block)}`,
  /** Block times again, keyed by time: the newest event block at or before a time. */
  timeBlock: (time: number, block: number) => `tsb:${pad(time, 12)}:${block12(block)}`,
  /** Raw decoded events, in chain order. */
  event: (cp: string) => `ev:${cp}`,
  /** Undo entries of one block inside the reorg window. */
  undo: (block: number, n: number) => `undo:${block12(block)}:${pad(n, 8)}`,
  member: (account: string) => `mem:${account.toLowerCase()}`,
  memberHistory: (account: string, cp: string) => `memh:${account.toLowerCase()}:${cp}`,
  resource: (id: bigint) => `res:${id20(id)}`,
  resourceVersion: (id: bigint, version: bigint) => `resv:${id20(id)}:${pad(version, 10)}`,
  resourceHistory: (id: bigint, cp: string) => `resh:${id20(id)}:${cp}`,
  objection: (id: bigint, objectionId: bigint) => `obj:${id20(id)}:${pad(objectionId, 10)}`,
  resourcesByHolder: (holder: string, id: bigint) => `resby:${holder.toLowerCase()}:${id20(id)}`,
  grant: (id: bigint) => `grant:${id20(id)}`,
  grantHistory: (id: bigint, cp: string) => `granth:${id20(id)}:${cp}`,
  grantChild: (parent: bigint, child: bigint) => `gchild:${id20(parent)}:${id20(child)}`,
  grantsBySubject: (kind: number, subject: bigint, grant: bigint) => `gsub:${pad(kind, 3)}:${id20(subject)}:${id20(grant)}`,
  grantsByGrantee: (grantee: string, grant: bigint) => `gto:${grantee.toLowerCase()}:${id20(grant)}`,
  grantsByGrantor: (grantor: string, grant: bigint) => `gfrom:${grantor.toLowerCase()}:${id20(grant)}`,
  authorization: (id: bigint) => `auth:${id20(id)}`,
  authorizationHistory: (id: bigint, cp: string) => `authh:${id20(id)}:${cp}`,
  evaluation: (id: bigint, cp: string) => `eval:${id20(id)}:${cp}`,
  authorizationsByOperator: (operator: string, id: bigint) => `authby:${operator.toLowerCase()}:${id20(id)}`,
  consent: (id: bigint) => `consent:${id20(id)}`,
  consentHistory: (id: bigint, cp: string) => `consenth:${id20(id)}:${cp}`,
  consentsByResource: (resourceId: bigint, id: bigint) => `consentof:${id20(resourceId)}:${id20(id)}`,
  product: (id: bigint) => `prod:${id20(id)}`,
  productHistory: (id: bigint, cp: string) => `prodh:${id20(id)}:${cp}`,
  /**
   * A product's inputs as lineage edges, [subject key, kind, id, grant id] in key order: what a lineage walk needs
   * of a product, in a value a fraction of the record's size (the walk parsed whole records, issue 6's bench).
   */
  productInputs: (id: bigint) => `prod-in:${id20(id)}`,
  productsByHolder: (holder: string, id: bigint) => `prodby:${holder.toLowerCase()}:${id20(id)}`,
  /** Lineage, both ways: a product's inputs (by subject key), and the products made from a subject. */
  lineageUp: (product: bigint, input: string) => `lin-up:${id20(product)}:${input.toLowerCase()}`,
  lineageDown: (input: string, product: bigint) => `lin-down:${input.toLowerCase()}:${id20(product)}`,
  /**
   * The products made from a subject again, numbered 1..n in registration order, and n: the API walks lineage down
   * by point reads (an iterator read is two thread-pool round trips, the largest cost of a lineage query).
   */
  lineageChildCount: (input: string) => `lin-n:${input.toLowerCase()}`,
  lineageChild: (input: string, n: number) => `lin-c:${input.toLowerCase()}:${pad(n, 8)}`,
  /**
   * The checkpoints of the history entries under `prefix` (a `...History(id, "")` prefix), oldest first: "the
   * state at block B" is then a binary search and two point reads rather than a reverse iterator seek.
   */
  historyIndex: (prefix: string) => `hix:${prefix}`,
  /** Market: listings (with history, by product and by seller), trades (with history, by party and by listing). */
  listing: (id: bigint) => `lst:${id20(id)}`,
  listingHistory: (id: bigint, cp: string) => `lsth:${id20(id)}:${cp}`,
  listingsByProduct: (product: bigint, id: bigint) => `lstof:${id20(product)}:${id20(id)}`,
  listingsBySeller: (seller: string, id: bigint) => `lstby:${seller.toLowerCase()}:${id20(id)}`,
  trade: (id: bigint) => `trd:${id20(id)}`,
  tradeHistory: (id: bigint, cp: string) => `trdh:${id20(id)}:${cp}`,
  tradesByParty: (party: string, id: bigint) => `trdby:${party.toLowerCase()}:${id20(id)}`,
  tradesByListing: (listing: bigint, id: bigint) => `trdof:${id20(listing)}:${id20(id)}`,
  /** Revenue entitlements: per trade, per party (both in chain order), and what each party is owed per currency. */
  entitlement: (trade: bigint, cp: string) => `ent:${id20(trade)}:${cp}`,
  entitlementsByParty: (party: string, cp: string) => `entby:${party.toLowerCase()}:${cp}`,
  owed: (party: string, currency: string) => `owed:${party.toLowerCase()}:${currency}`,
  /** Admission (准入): negative list by (domain, category, grade) codes, positive list by scenario, levels, departments. */
  negativeEntry: (domain: number, category: number, grade: number) => `neg:${pad(domain, 3)}:${pad(category, 3)}:${pad(grade, 3)}`,
  negativeHistory: (cp: string) => `negh:${cp}`,
  positiveEntry: (scenario: bigint | number) => `pos:${pad(scenario, 10)}`,
  positiveHistory: (cp: string) => `posh:${cp}`,
  requiredLevel: (grade: number) => `reqlvl:${pad(grade, 3)}`,
  governmentDepartment: (account: string) => `govdept:${account.toLowerCase()}`,
  rating: (id: bigint) => `rat:${id20(id)}`,
  ratingsByProduct: (product: bigint, id: bigint) => `ratprod:${id20(product)}:${id20(id)}`,
  ratingsByMember: (account: string, id: bigint) => `ratmem:${account.toLowerCase()}:${id20(id)}`,
  /**
   * Supervision: reports (with history, by reporter), disputes (with history, evidence, by party), sanctions (by
   * subject, by cause), severe-action proposals, and freezes per subject with their cause (sanction or ruling).
   */
  report: (id: bigint) => `rpt:${id20(id)}`,
  reportHistory: (id: bigint, cp: string) => `rpth:${id20(id)}:${cp}`,
  reportsByReporter: (reporter: string, id: bigint) => `rptby:${reporter.toLowerCase()}:${id20(id)}`,
  dispute: (id: bigint) => `dsp:${id20(id)}`,
  disputeHistory: (id: bigint, cp: string) => `dsph:${id20(id)}:${cp}`,
  disputeEvidence: (id: bigint, cp: string) => `dspev:${id20(id)}:${cp}`,
  disputesByParty: (account: string, id: bigint) => `dspby:${account.toLowerCase()}:${id20(id)}`,
  sanction: (id: bigint) => `snc:${id20(id)}`,
  sanctionsBySubject: (subject: string, id: bigint) => `sncsub:${subject.toLowerCase()}:${id20(id)}`,
  sanctionsByCause: (cause: string, id: bigint) => `snccause:${cause.toLowerCase()}:${id20(id)}`,
  severe: (id: bigint) => `svr:${id20(id)}`,
  freeze: (subject: string, cp: string) => `frz:${subject.toLowerCase()}:${cp}`,
  trace: (subject: string, seq: bigint) => `tr:${subject.toLowerCase()}:${pad(seq, 12)}`,
  traceHead: (subject: string) => `trh:${subject.toLowerCase()}`,
  /**
   * Trace entries again, TRACE_CHUNK to a key once all of them are indexed (chunk k holds sequences
   * k·TRACE_CHUNK+1 .. (k+1)·TRACE_CHUNK; the format is in trace-chunks.ts): a page of 50 entries is then a
   * handful of point reads, not fifty (issue 6's bench).
   */
  traceChunk: (subject: string, k: number) => `trc:${subject.toLowerCase()}:${pad(k, 10)}`,
  stat: (dimension: string, value: string, month: string) => `stat:${dimension}:${value}:${month}`,
  /**
   * "What a member is a party to": holder of a resource, grantor or grantee of a grant (and of its subject), seller
   * of a listing, buyer or seller of a trade (and of its listing), reporter of a (non-confidential) report, claimant,
   * respondent or arbiter of a dispute.
   */
  party: (account: string, subject: string) => `party:${account.toLowerCase()}:${subject.toLowerCase()}`,
  /** Which subjects reference a document hash (terms, catalogue, evidence, reason), for document access. */
  docRef: (hash: string, subject: string) => `docref:${hash.toLowerCase()}:${subject.toLowerCase()}`,
} as const;

/** The smallest string greater than every key starting with `prefix` (LevelDB range ends). */
export const prefixEnd = (prefix: string): string => prefix + "\xff";
