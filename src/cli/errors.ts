/**
 * Errors of the members' CLI: exit codes, and reverts decoded into the contracts' custom errors with a sentence.
 *
 * Exit codes: 0 ok; 1 the chain refused (a revert, a node refusing a transaction) or the network failed; 2 bad
 * usage or input; 3 a key or passphrase problem.
 *
 * A revert is decoded with the combined error fragments of the three contracts (a write on the grant registry can
 * revert with a member-registry or resource-registry error, bubbled up through its calls), then rendered with the
 * sentence template of the error. Every custom error of the three ABIs has a template (a test checks it).
 */
import { AbiCoder, ErrorFragment, Interface, getAddress, type ParamType, type Result } from "ethers";
import { BaseError } from "../common/errors.js";
import { LEDGER_INTERFACES } from "../chain/contracts.js";
import {
  Category,
  DisputeStatus,
  Domain,
  Grade,
  Invalidity,
  MemberStatus,
  OpenClass,
  PriceStatus,
  ProposalStatus,
  RatingKind,
  ReportStatus,
  RightType,
  ScopeField,
  SevereKind,
  SubjectKind,
  TradeStatus,
  nameOf,
} from "../domain/enums.js";
import { roleName } from "../domain/roles.js";
import { UsageError } from "./evidence.js";

export { UsageError };

export const EXIT = { OK: 0, CHAIN: 1, USAGE: 2, KEY: 3 } as const;

/** A key or passphrase problem (exit 3): no keystore given, unreadable, not a keystore, wrong passphrase. */
export class KeyError extends BaseError {
  override name = "KeyError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("DRL-KEY", message, options);
  }
}

/** The node could not be reached or did not answer in time (exit 1). */
export class NetworkError extends BaseError {
  override name = "NetworkError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("DRL-NETWORK", message, options);
  }
}

/** The chain refused: a decoded revert, or a node refusing a transaction (exit 1). */
export class ChainRefusal extends BaseError {
  override name = "ChainRefusal";
  readonly revert: DecodedRevert | undefined;
  constructor(message: string, revert?: DecodedRevert, options?: { cause?: unknown }) {
    super("DRL-REFUSED", message, options);
    this.revert = revert;
  }
}

/** The exit code an error maps to. */
export function exitCodeOf(e: unknown): number {
  if (e instanceof UsageError) return EXIT.USAGE;
  if (e instanceof KeyError) return EXIT.KEY;
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS")) return EXIT.USAGE;
  return EXIT.CHAIN;
}

// ---------------------------------------------------------------------------------------------------------------
// Sentences

/**
 * One sentence per custom error of the three contracts. `{param}` is replaced by the decoded argument of that name,
 * `{param:format}` formats it (an enum name, a role name, a time...). Addresses, numbers and hashes print as is.
 */
export const ERROR_SENTENCES: Readonly<Record<string, string>> = {
  // MemberRegistry (and OpenZeppelin AccessControl, which it extends)
  AccessControlBadConfirmation: "A member may renounce only its own roles: the confirmation address must be the signer's own address.",
  AccessControlUnauthorizedAccount: "{account} lacks the {neededRole:role} role this action needs.",
  MemberAlreadyAdmitted: "{account} was already admitted (status {status:MemberStatus}); an account is admitted only once, even after it exits.",
  MemberEmptyHash: "The organisation id and the credential hash must not be zero.",
  MemberEmptyReason: "A reason is required: the reason hash must not be zero.",
  MemberInvalidStatus: "This status change does not apply to {account}, whose status is {status:MemberStatus}.",
  MemberLastGovernance: "{account} is the last active governance member: the ledger may not be left without governance.",
  MemberMissingRole: "{account} is an active member but lacks the {role:role} role this action needs.",
  MemberNotActive: "{account} is not an active member (status {status:MemberStatus}); only active members may do this.",
  MemberNotAdmitted: "{account} is not an admitted member (it was never admitted, or it has exited).",
  MemberNotSuspender: "{account} may not suspend members: only an active governance or regulator member may.",
  MemberTooManyRoles: "{count} roles were given at admission, but only {max} roles exist.",
  MemberUnknownRole: "{role:role} is not one of the ledger's roles (GOVERNANCE, REGULATOR, HOLDER, PROCESSOR, OPERATOR, CERTIFIER, ARBITER).",
  MemberZeroAddress: "The account must not be the zero address.",
  // MemberGated (every registry)
  MemberGatedZeroRegistry: "The member registry address given at deployment is zero.",
  // ResourceRegistry
  ExclusivityConflict:
    "The grant conflicts with an exclusive one: among grants of the {rightType:RightType} right over {subjectKind:SubjectKind} {subjectId} under parent grant {parentId} (0 = root grants), an exclusive grant may not overlap another in purpose and time.",
  ResourceCallerNotGrantRegistry: "Only the grant registry may admit root grants, and {caller} is not it.",
  ResourceCoreGrade: "Resource {resourceId} is core-grade data, which never circulates (no transfer, no grant).",
  ResourceEmptyHash: "The catalogue, evidence, terms or reason hash must not be zero.",
  ResourceGrantRegistryAlreadySet: "The grant registry is already set (to {current}); it can be set only once.",
  ResourceInvalidObjectionWindow: "An objection window of {window:duration} is not allowed: it must be longer than zero and at most {max:duration}.",
  ResourceInvalidRecipient: "{to} may not receive resource {resourceId}: the recipient must be an active holder other than the current one.",
  ResourceInvalidUri: "The catalogue URI is {length} bytes long; it must be 1 to {max} bytes.",
  ResourceIsCancelled: "Resource {resourceId} is cancelled.",
  ResourceIsFrozen: "Resource {resourceId} is frozen by a regulator.",
  ResourceNotFrozen: "Resource {resourceId} is not frozen, so it cannot be unfrozen.",
  ResourceNotHolder: "{account} is not the holder of resource {resourceId}.",
  ResourceObjectionNotOpen: "Objection {objectionId} on resource {resourceId} does not exist or is already resolved.",
  ResourceObjectionWindowClosed: "The public-notice window of resource {resourceId} closed at {closedAt:time}; objections are no longer accepted.",
  ResourceOpenClassMismatch:
    "Open class {openClass:OpenClass} does not fit category {category:Category}: public data needs an open class, enterprise and personal data must be NotApplicable.",
  ResourceSelfObjection: "The holder of resource {resourceId} may not object to its own resource.",
  ResourceUnderObjection: "Resource {resourceId} has {openObjections} open objection(s); a regulator must resolve them first.",
  ResourceUnknown: "There is no resource {resourceId}.",
  ResourceZeroAddress: "An address argument is the zero address.",
  // GrantRegistry
  GrantAlreadyRevoked: "Grant {grantId} is already revoked.",
  GrantDepthOverflow: "A sub-grant depth of {depth} exceeds the maximum of {max}.",
  GrantEmptyHash: "The terms or reason hash must not be zero.",
  GrantEmptyPurposes: "The scope names no purpose: give at least one.",
  GrantFreezeUnchanged: "Grant {grantId} is already {frozen:frozenState}.",
  GrantGranteeNotEligible: "{grantee} may not receive this grant: it must be an active member with the {role:role} role.",
  GrantInvalidWindow: "The validity window from {validFrom:time} until {validUntil:time} is invalid: it must start before it ends, and not be over already.",
  GrantNotParentGrantee: "{account} is not the grantee of parent grant {parentId}, so it may not sub-grant it.",
  GrantNotRevoker: "{account} may not revoke grant {grantId}: only its grantor or an active regulator may.",
  GrantNotValid: "Grant {grantId} is not valid: at grant {atGrant} of its chain, {reason:invalidity}.",
  GrantNotHeld: "Grant {grantId} is not a grant of that right over that subject held by {holder}.",
  GrantParentMismatch: "The sub-grant names another right or subject than its parent grant {parentId}.",
  GrantParentNoSubGrant: "Parent grant {parentId} does not allow sub-grants (or has no depth left).",
  GrantParentNotValid: "Parent grant {parentId} is not valid now: at grant {atGrant} of its chain, {reason:invalidity}.",
  GrantRightNotGrantable:
    "The {rightType:RightType} right cannot be granted over a {subjectKind:SubjectKind} subject: holding moves only by transfer, processing-use applies to resources and products, product-operation to products.",
  GrantScopeExceedsParent: "The sub-grant exceeds its parent grant {parentId} in its {field:scopeField}.",
  GrantSelfGrant: "{account} may not grant to itself.",
  GrantSubjectKindUnsupported: "No registry answers for subjects of kind {subjectKind:SubjectKind}.",
  GrantUnknown: "There is no grant {grantId}.",
  GrantZeroGrantee: "The grantee must not be the zero address.",
  GrantZeroRegistry: "The registry address must not be zero.",
  GrantConditionsAlreadySet: "The operation-authorization and consent registries are already wired; they can be set only once.",
  GrantConditionsNotWired: "This grant needs a condition registry (operation authorizations or consents) that governance has not wired yet.",
  GrantNeedsOperationAuthorization: "{grantee} has no operation authorization covering public resource {resourceId}; processing-use grants on public data go only to authorized operators.",
  GrantOperationAuthorizationInvalid: "Operation authorization {authorizationId} is not in force (it has exited or its term is over).",
  GrantNeedsConsent: "Resource {resourceId} holds personal data and has no consent record, so it may not be granted.",
  GrantConsentDoesNotCover: "Consent {consentId} is not live or does not cover the grant's purposes ({purposes:purposeBits}).",
  // OperationRegistry (public-data operation authorizations; its errors can reach a grant)
  OperationUnknown: "There is no operation authorization {authorizationId}.",
  OperationOperatorNotEligible: "{operator} may not be authorized: it must be an active member with the OPERATOR role.",
  OperationInvalidResourceCount: "An authorization covers 1 to {max} resources, not {count}.",
  OperationNotPublicResource: "Resource {resourceId} is not a registered public-data resource.",
  OperationDuplicateResource: "Resource {resourceId} is listed twice.",
  OperationEmptyHash: "The scenario code, conditions, report or reason hash must not be zero.",
  OperationInvalidTerm: "The term from {validFrom:time} until {validUntil:time} is invalid: it must start before it ends, and not be over already.",
  OperationExited: "Operation authorization {authorizationId} has already exited.",
  OperationNotExiter: "{account} may not end operation authorization {authorizationId}: only its operator or governance may.",
  OperationNotEvaluator: "{account} may not evaluate operators: only an active governance, regulator or certifier member may.",
  OperationInvalidScore: "A score of {score} is out of range (0 to 100).",
  // ConsentRegistry (personal-information consent; its errors can reach a grant)
  ConsentUnknown: "There is no consent record {consentId}.",
  ConsentNotPersonalResource: "Resource {resourceId} is not a registered personal-data resource.",
  ConsentNotHolder: "{account} is not the holder of resource {resourceId}.",
  ConsentEmptyHash: "The consent commitment or reason hash must not be zero.",
  ConsentInvalidPurposes: "The purposes ({purposes:purposeBits}) are empty, or not all covered by the consent.",
  ConsentInvalidTerms: "A consent needs an expiry in the future and at least one data subject (expiry {expiry:time}, {subjects} subjects).",
  ConsentNotWithdrawer: "{account} may not withdraw consent {consentId}: only the resource's holder or a regulator may.",
  // ProductRegistry (products are granted through the grant registry)
  ProductUnknown: "There is no product {productId}.",
  ProductInvalidInputCount: "A product has 1 to {max} inputs, not {count}.",
  ProductInvalidInput: "Input {index} is not a resource or product, or is named twice.",
  ProductInputGrantMismatch: "Grant {grantId} of input {index} is not a processing-use grant the registrant holds over that input.",
  ProductInputNotActive: "Input {index}, product {productId}, is frozen or cancelled.",
  ProductLineageTooDeep: "The product's lineage would be {depth} levels deep; at most {max} are allowed.",
  ProductRawExportRefused: "Raw export is refused for a product with important-grade or personal data upstream (raw data stays in its domain).",
  ProductInvalidSharePolicy: "The share policy sums to {totalBps} basis points; it must sum to 10,000 (and a public share needs public inputs).",
  ProductInvalidMetadata: "A product hash is zero, or its URI is empty or too long.",
  ProductNotHolder: "{account} is not the holder of product {productId}.",
  ProductIsCancelled: "Product {productId} is cancelled.",
  ProductFreezeUnchanged: "Product {productId} is already {frozen:frozenState}.",
  ProductIsFrozen: "Product {productId} is frozen by a regulator.",
  ProductCallerNotGrantRegistry: "Only the grant registry may admit grants over products, and {caller} is not it.",
  ProductLineageTooLarge: "The product's lineage would have {edges} input edges counted along every path; at most {max} are allowed.",
  GrantCallerNotMarket: "Only the market issues licences on sale, and {caller} is not it.",
  GrantMarketAlreadySet: "The market is already wired to the grant registry; it is set once.",
  GrantSaleScopeNotLeaf: "A licence sold on the market must be shared and not sub-grantable.",
  // Admission
  AdmissionEmptyHash: "A report, description or reason hash is zero.",
  AdmissionInvalidEntry: "The list entry changes nothing, names core data (which never circulates) or scenario 0.",
  AdmissionInvalidRating: "A rating needs a level above 0 and an expiry in the future (got level {level}, expiry {expiry:time}).",
  AdmissionConflictOfInterest: "Certifier {certifier} may not rate its own product or itself.",
  AdmissionUnknownProduct: "Product {productId} does not exist.",
  AdmissionNotMember: "{account} is not an active member.",
  AdmissionUnknownRating: "Rating {ratingId} does not exist.",
  AdmissionRatingRevoked: "Rating {ratingId} is already revoked.",
  AdmissionNotRevoker: "{account} may not revoke rating {ratingId}: only its certifier or a regulator may.",
  AdmissionWrongKind: "A {kind:RatingKind} rating is not recorded this way.",
  // Market
  MarketUnknownListing: "Listing {listingId} does not exist.",
  MarketUnknownTrade: "Trade {tradeId} does not exist.",
  MarketEmptyHash: "A hash (terms, settlement, delivery or reason) is zero.",
  MarketZeroAddress: "The account is the zero address.",
  MarketInvalidTerms: "The listing terms need at least one purpose and a term above zero.",
  MarketInvalidPrice: "The price filing needs an amount above zero, a currency and a unit.",
  MarketNotProductHolder: "{account} does not hold product {productId}; list it under a product-operation grant instead.",
  MarketProductNotTradable: "Product {productId} cannot be listed or traded (frozen: {frozen}, cancelled: {cancelled}).",
  MarketLineageInvalid: "Input grant {grantId} of product {productId} is not valid: at grant {atGrant} of its chain, {reason:invalidity}.",
  MarketNegativeList: "Resource {resourceId} ({domain:Domain}, {category:Category}, {grade:Grade}) is on the negative list for {purposes:purposeBits}.",
  MarketCertificationTooLow: "Product {productId} has certification level {level} in force; its lineage needs at least level {required} (and at least 1).",
  MarketSellerNotQualified: "{seller} has no qualification rating in force.",
  MarketPublicBeneficiaryUnset: "Governance has not named the account owed the public share yet.",
  MarketNotSeller: "{account} is not the seller of listing {listingId}.",
  MarketListingNotActive: "Listing {listingId} is delisted.",
  MarketPriceNotPending: "The price of listing {listingId} is not pending (it is {status:PriceStatus}).",
  MarketPriceNotApproved: "The price of listing {listingId} needs a regulator's approval first (it is {status:PriceStatus}).",
  MarketSelfTrade: "{account} cannot buy its own listing.",
  MarketInvalidQuantity: "Quantity {quantity} is zero, or the amount would not fit 128 bits.",
  MarketAlreadyProcured: "Product {productId} was procured by trade {tradeId}: government departments are licensed already.",
  MarketNotProcurementAgent: "{account} is neither governance nor its procurement agent.",
  MarketTradeStatus: "Trade {tradeId} is {status:TradeStatus}; this step does not apply.",
  MarketNotParty: "{account} is not the party of trade {tradeId} this step belongs to.",
  // Severe-action hooks
  MemberNotSevereExecutor: "{account} is not the severe-action executor: once it is wired, expulsions go through SevereActions.",
  MemberSevereExecutorAlreadySet: "The severe-action executor is already set to {current}; it is set once.",
  MemberGatedNotSevereExecutor: "{account} is not the severe-action executor wired in the member registry (or none is wired yet).",
  // Subjects of reports and disputes
  SupervisionSubjectKindUnsupported: "A {kind:SubjectKind} cannot be the subject of a report or dispute.",
  SupervisionUnknownSubject: "Subject {subject} does not exist.",
  SupervisionTradesNotWired: "Trades cannot be named yet: governance has not wired the market as the trade lookup.",
  SupervisionTradeLookupAlreadySet: "The trade lookup is already set to {current}; it is set once.",
  SupervisionZeroAddress: "The address is the zero address.",
  // Reports
  ReportUnknown: "Report {reportId} does not exist.",
  ReportEmptyHash: "An evidence hash, commitment or reason hash is zero.",
  ReportInvalidCategory: "Report category {category} is not a known category code.",
  ReportNotPersonalData: "A privacy complaint must name a personal-data resource or a consent record, and {subject} is neither.",
  ReportNotRelay: "{account} may not relay a confidential report: only a regulator or an operator may.",
  ReportInvalidStatus: "Report {reportId} is {status:ReportStatus}; this triage step does not apply.",
  ReportInvalidSanctionCount: "A substantiation names {count} sanctions; it needs between 1 and {max}.",
  ReportSanctionNotLinked: "Sanction {sanctionId} does not exist or was not caused by report {reportId}.",
  ReportSanctionsNotWired: "Governance has not wired the sanctions contract yet.",
  ReportSanctionsAlreadySet: "The sanctions contract is already set to {current}; it is set once.",
  // Disputes
  DisputeUnknown: "Dispute {disputeId} does not exist.",
  DisputeEmptyHash: "A claim, evidence, ruling, grounds or reason hash is zero.",
  DisputeInvalidRespondent: "{respondent} cannot be the respondent: it is the claimant or not an active member.",
  DisputeInvalidSubjects: "A dispute names {count} subjects (or one twice); it needs between 1 and {max} distinct ones.",
  DisputeNotParty: "{account} is not a party to dispute {disputeId}.",
  DisputeNotClaimant: "{account} is not the claimant of dispute {disputeId}.",
  DisputeInvalidStatus: "Dispute {disputeId} is {status:DisputeStatus}; this step does not apply.",
  DisputeEvidenceUsed: "Evidence {evidenceHash} was submitted before; an evidence hash is accepted once.",
  DisputeInvalidUri: "The evidence URI is {length} bytes long; it must be between 1 and {max}.",
  DisputeIneligibleArbiter: "{arbiter} cannot arbitrate dispute {disputeId}: not an active arbiter, a party, or (on appeal) the first instance's arbiter.",
  DisputeNotArbiter: "{account} is not the arbiter of dispute {disputeId} at this instance.",
  DisputeInvalidOutcomeCount: "A ruling has {count} outcomes; it needs between 1 and {max}.",
  DisputeInvalidOutcome: "Outcome {index} does not fit the dispute (its kind, subject, beneficiary or amount).",
  DisputeAppealWindowClosed: "The appeal window of dispute {disputeId} closed at {deadline:time}.",
  DisputeNotFinal: "The ruling of dispute {disputeId} is not final yet (the appeal window is open, or an appeal is pending).",
  DisputeOutcomesMismatch: "The outcomes given are not those of dispute {disputeId}'s final ruling.",
  DisputeInvalidAppealWindow: "An appeal window of {window:duration} is refused; it must be above zero and at most {max:duration}.",
  // Sanctions
  SanctionUnknown: "Sanction {sanctionId} does not exist.",
  SanctionEmptyReason: "The reason hash is zero.",
  SanctionInvalidCause: "{cause} is not an existing report (not dismissed) or dispute (not withdrawn).",
  SanctionInvalidSubject: "{subject} cannot be sanctioned this way (a resource, grant, product, member or consent record is needed).",
  SanctionNotLiftable: "Sanction {sanctionId} was lifted already, or cannot be lifted (a consent withdrawal).",
  // Severe actions
  SevereUnknown: "Severe-action proposal {proposalId} does not exist.",
  SevereNotApprover: "{account} may not propose or approve severe actions: only active regulators and arbiters may.",
  SevereAlreadyApproved: "{account} approved proposal {proposalId} already (a proposer's proposal counts as its approval).",
  SevereNotPending: "Proposal {proposalId} is {status:ProposalStatus}, not pending.",
  SevereEmptyReason: "The reason hash is zero.",
  SevereInvalidCause: "{cause} is not an existing report or dispute.",
  SevereInvalidTarget: "The target does not fit a {kind:SevereKind} proposal (target id {targetId}, account {account}).",
  SevereInvalidThreshold: "A threshold of {threshold} approvals is refused; it must be between 1 and {max}.",
  SevereNotDisputeRegistry: "Only the dispute registry may propose by ruling, and {account} is not it.",
  SevereDisputeRegistryAlreadySet: "The dispute registry is already set to {current}; it is set once.",
  SevereNotCanceller: "{account} may not cancel proposal {proposalId}: only its proposer or governance may.",
  SevereZeroAddress: "The address is the zero address.",
};

/** Why a grant is not valid, as the end of a sentence ("at grant 3 of its chain, …"). */
export const INVALIDITY_PHRASES: Readonly<Record<keyof typeof Invalidity, string>> = {
  None: "nothing is wrong (it is valid)",
  Unknown: "the grant does not exist",
  Revoked: "the grant is revoked",
  Frozen: "the grant is frozen",
  NotYetValid: "the grant is not valid yet",
  Expired: "the grant has expired",
  GrantorInactive: "its grantor is not an active member",
  GranteeInactive: "its grantee is not an active member",
  SubjectCancelled: "its subject is cancelled",
  SubjectFrozen: "its subject is frozen",
  SubjectUnderObjection: "its subject is under objection",
  SubjectNotCirculable: "its subject is core-grade data and may not circulate",
  AuthorizationEnded: "the grantee's operation authorization over the public data has ended",
  ConsentWithdrawn: "the consent of the personal data's subjects was withdrawn (or expired)",
};

const SCOPE_FIELD_PHRASES: Readonly<Record<keyof typeof ScopeField, string>> = {
  Purposes: "purposes (they must be a subset of the parent's)",
  Region: "region (it must be the parent's or lie inside it)",
  Window: "validity window (it must lie inside the parent's)",
  Depth: "depth (it must be smaller than the parent's)",
  Cap: "usage cap (it must not exceed the parent's)",
  Exclusive: "exclusivity (only an exclusive parent may have exclusive sub-grants)",
};

const enumFormatter = (e: Record<string, number>) => (v: unknown) => {
  try {
    return nameOf(e, v as bigint);
  } catch {
    return `#${String(v)}`;
  }
};

/** The formats a template may name: `{param:format}`. */
export const FORMATTERS: Readonly<Record<string, (v: unknown) => string>> = {
  MemberStatus: enumFormatter(MemberStatus),
  Category: enumFormatter(Category),
  OpenClass: enumFormatter(OpenClass),
  RightType: enumFormatter(RightType),
  SubjectKind: enumFormatter(SubjectKind),
  Domain: enumFormatter(Domain),
  Grade: enumFormatter(Grade),
  RatingKind: enumFormatter(RatingKind),
  PriceStatus: enumFormatter(PriceStatus),
  TradeStatus: enumFormatter(TradeStatus),
  ReportStatus: enumFormatter(ReportStatus),
  DisputeStatus: enumFormatter(DisputeStatus),
  ProposalStatus: enumFormatter(ProposalStatus),
  SevereKind: enumFormatter(SevereKind),
  role: (v) => roleName(String(v)) ?? String(v),
  invalidity: (v) => {
    const n = enumFormatter(Invalidity)(v) as keyof typeof Invalidity;
    return INVALIDITY_PHRASES[n] ?? `reason #${String(v)}`;
  },
  scopeField: (v) => {
    const n = enumFormatter(ScopeField)(v) as keyof typeof ScopeField;
    return SCOPE_FIELD_PHRASES[n] ?? `field #${String(v)}`;
  },
  frozenState: (v) => (v ? "frozen" : "unfrozen"),
  purposeBits: (v) => {
    const n = BigInt(v as bigint);
    const bits: number[] = [];
    for (let i = 0; i < 32; i++) if ((n >> BigInt(i)) & 1n) bits.push(i);
    return bits.length ? `purpose bits ${bits.join(",")}` : "none";
  },
  time: (v) => formatTime(BigInt(v as bigint)),
  duration: (v) => formatDuration(BigInt(v as bigint)),
};

export function formatTime(t: bigint): string {
  if (t >= 2n ** 40n - 1n) return "never (no expiry)";
  if (t > 8_640_000_000_000n) return `${t} (unix time)`;
  return `${new Date(Number(t) * 1000).toISOString().replace(".000Z", "Z")} (${t})`;
}

export function formatDuration(s: bigint): string {
  const n = Number(s);
  if (n >= 86400 && n % 86400 === 0) return `${n / 86400} days (${n} s)`;
  if (n >= 3600 && n % 3600 === 0) return `${n / 3600} hours (${n} s)`;
  return `${n} s`;
}

/** How formatted arguments appear in `args` of a decoded revert: enums and roles by name. */
const ARG_NAMES: Readonly<Record<string, (v: unknown) => string>> = {
  MemberStatus: FORMATTERS.MemberStatus!,
  Category: FORMATTERS.Category!,
  OpenClass: FORMATTERS.OpenClass!,
  RightType: FORMATTERS.RightType!,
  SubjectKind: FORMATTERS.SubjectKind!,
  Domain: FORMATTERS.Domain!,
  Grade: FORMATTERS.Grade!,
  RatingKind: FORMATTERS.RatingKind!,
  PriceStatus: FORMATTERS.PriceStatus!,
  TradeStatus: FORMATTERS.TradeStatus!,
  ReportStatus: FORMATTERS.ReportStatus!,
  DisputeStatus: FORMATTERS.DisputeStatus!,
  ProposalStatus: FORMATTERS.ProposalStatus!,
  SevereKind: FORMATTERS.SevereKind!,
  role: FORMATTERS.role!,
  invalidity: enumFormatter(Invalidity),
  scopeField: enumFormatter(ScopeField),
};

const PLACEHOLDER = /\{(\w+)(?::(\w+))?\}/g;

/** The placeholders of a template: [param, format?]. */
export function placeholders(template: string): { param: string; format?: string }[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => (m[2] === undefined ? { param: m[1]! } : { param: m[1]!, format: m[2] }));
}

function plain(v: unknown): string {
  if (typeof v === "string" && /^0x[0-9a-fA-F]{40}$/.test(v)) return getAddress(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  return String(v);
}

/** Renders `template` with decoded arguments. */
export function renderSentence(template: string, args: Readonly<Record<string, unknown>>): string {
  return template.replace(PLACEHOLDER, (_, param: string, format: string | undefined) => {
    if (!(param in args)) return `{${param}}`;
    const v = args[param];
    const f = format === undefined ? undefined : FORMATTERS[format];
    return f ? f(v) : plain(v);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Decoding

/** A revert, decoded. `args` holds JSON-friendly values (strings for numbers and addresses). */
export interface DecodedRevert {
  /** The custom error's name; `Error` / `Panic` for Solidity's built-ins, `Unknown` / `Empty` otherwise. */
  name: string;
  signature: string;
  args: Record<string, string | boolean>;
  sentence: string;
  data: string;
}

function combinedErrors(): Interface {
  const seen = new Map<string, ErrorFragment>();
  for (const iface of Object.values(LEDGER_INTERFACES)) iface.forEachError((f) => seen.set(f.selector, f));
  return new Interface([...seen.values()]);
}

/** Every custom error of the three contracts, deduplicated by selector. */
export const LEDGER_ERRORS: Interface = combinedErrors();

const PANICS: Record<number, string> = {
  0x01: "an assertion failed",
  0x11: "an arithmetic operation overflowed",
  0x12: "division by zero",
  0x21: "an invalid enum value",
  0x22: "corrupt storage",
  0x31: "pop on an empty array",
  0x32: "an array index out of bounds",
  0x41: "too much memory",
  0x51: "a call to an uninitialised function",
};

function jsonValue(v: unknown): string | boolean {
  if (typeof v === "boolean") return v;
  if (typeof v === "string" && /^0x[0-9a-fA-F]{40}$/.test(v)) return getAddress(v);
  return String(v);
}

function argsOf(inputs: readonly ParamType[], values: Result): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  inputs.forEach((p, i) => (out[p.name || `arg${i}`] = values[i]));
  return out;
}

/** Decodes revert data (`0x…`) into the custom error, its arguments and its sentence. Never throws. */
export function decodeRevert(data: string | undefined | null): DecodedRevert {
  const hex = typeof data === "string" && /^0x([0-9a-fA-F]{2})*$/.test(data) ? data.toLowerCase() : "0x";
  if (hex.length < 10) {
    return {
      name: "Empty",
      signature: "",
      args: {},
      sentence: "The transaction was refused without a reason (out of gas, a call to an address that is not a ledger contract, or a node that returns no revert data).",
      data: hex,
    };
  }
  const selector = hex.slice(0, 10);
  try {
    if (selector === "0x08c379a0") {
      const [message] = AbiCoder.defaultAbiCoder().decode(["string"], "0x" + hex.slice(10));
      return { name: "Error", signature: "Error(string)", args: { message: String(message) }, sentence: `The contract refused: ${String(message)}.`, data: hex };
    }
    if (selector === "0x4e487b71") {
      const [code] = AbiCoder.defaultAbiCoder().decode(["uint256"], "0x" + hex.slice(10));
      const n = Number(code);
      return {
        name: "Panic",
        signature: "Panic(uint256)",
        args: { code: "0x" + n.toString(16) },
        sentence: `The contract failed (panic 0x${n.toString(16)}: ${PANICS[n] ?? "an internal error"}).`,
        data: hex,
      };
    }
    const parsed = LEDGER_ERRORS.parseError(hex);
    if (parsed) {
      const raw = argsOf(parsed.fragment.inputs, parsed.args);
      const template = ERROR_SENTENCES[parsed.name];
      const args: Record<string, string | boolean> = {};
      for (const [k, v] of Object.entries(raw)) args[k] = jsonValue(v);
      // Arguments with a format (enums, roles) are shown by name in `args` too.
      for (const { param, format } of template ? placeholders(template) : []) {
        const named = format === undefined ? undefined : ARG_NAMES[format];
        if (named && param in raw) args[param] = named(raw[param]);
      }
      return {
        name: parsed.name,
        signature: parsed.signature,
        args,
        sentence: template ? renderSentence(template, raw) : `The contract refused with ${parsed.signature}.`,
        data: hex,
      };
    }
  } catch {
    // fall through: data that does not decode as its selector says
  }
  return { name: "Unknown", signature: selector, args: {}, sentence: `The contract refused with an error this CLI does not know (selector ${selector}).`, data: hex };
}

/** `Name(arg=value, …)` of a decoded revert, for one-line reports. */
export function revertTitle(r: DecodedRevert): string {
  const a = Object.entries(r.args)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(", ");
  return `${r.name}(${a})`;
}
