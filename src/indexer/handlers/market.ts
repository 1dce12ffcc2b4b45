import { IntegrityError } from "../../common/errors.js";
import { EntitlementRole, PriceStatus, PricingMethod, SubjectKind, TradeStatus, nameOf } from "../../domain/enums.js";
import { subjectKey } from "../../domain/trace.js";
import { K } from "../../store/keys.js";
import { bytesText } from "../bytes-text.js";
import { bump, monthOf, referDocument, type HandlerContext, type HandlerMap } from "../context.js";
import type {
  EntitlementRecord,
  EntitlementRoleName,
  ListingHistory,
  ListingRecord,
  PriceRecord,
  PriceStatusName,
  ProductRecord,
  TradeHistory,
  TradeRecord,
  TradeStatusName,
} from "../records.js";

interface PriceArgs {
  amount: bigint;
  currency: string;
  method: bigint;
  unit: string;
}

const priceOf = (p: PriceArgs): PriceRecord => ({ amount: p.amount.toString(), currency: bytesText(p.currency), method: nameOf(PricingMethod, p.method), unit: bytesText(p.unit) });
const priceStatusOf = (n: bigint): PriceStatusName => nameOf(PriceStatus, n) as PriceStatusName;

async function listing(ctx: HandlerContext, id: bigint): Promise<ListingRecord> {
  const l = await ctx.ws.getJson<ListingRecord>(K.listing(id));
  if (!l) throw new IntegrityError("DRL-INDEX-ORDER", `event for listing ${id} before it was listed at ${ctx.cp}`);
  return l;
}

async function trade(ctx: HandlerContext, id: bigint): Promise<TradeRecord> {
  const t = await ctx.ws.getJson<TradeRecord>(K.trade(id));
  if (!t) throw new IntegrityError("DRL-INDEX-ORDER", `event for trade ${id} before it was opened at ${ctx.cp}`);
  return t;
}

/** Saves a listing after `event` and appends the step to its history. */
async function saveListing(ctx: HandlerContext, l: ListingRecord, event: ListingHistory["event"], by: string, reasonHash: string | null): Promise<void> {
  const id = BigInt(l.id);
  await ctx.ws.put(K.listing(id), { ...l, updated: ctx.at });
  ctx.ws.insert(K.listingHistory(id, ctx.cp), { event, by: by.toLowerCase(), reasonHash, status: l.status, priceStatus: l.priceStatus, price: l.price, at: ctx.at } satisfies ListingHistory);
  if (reasonHash !== null) await referDocument(ctx, reasonHash, subjectKey(SubjectKind.Listing, id));
}

async function saveTrade(ctx: HandlerContext, t: TradeRecord, event: TradeHistory["event"], by: string): Promise<void> {
  const id = BigInt(t.id);
  await ctx.ws.put(K.trade(id), { ...t, updated: ctx.at });
  ctx.ws.insert(K.tradeHistory(id, ctx.cp), { event, by: by.toLowerCase(), status: t.status, at: ctx.at } satisfies TradeHistory);
}

/** The product's domain, for statistics ("Unknown" cannot happen on a consistent chain; kept rather than thrown). */
async function domainOf(ctx: HandlerContext, productId: string): Promise<string> {
  return (await ctx.ws.getJson<ProductRecord>(K.product(BigInt(productId))))?.domain ?? "Unknown";
}

/** Marks `account` a party of `subject` unless it already is (an earlier, stronger relation is kept). */
async function addParty(ctx: HandlerContext, account: string, subject: string, relation: string): Promise<void> {
  const key = K.party(account, subject);
  if ((await ctx.ws.get(key)) === undefined) await ctx.ws.put(key, relation);
}

/** Listings, price filings and decisions, trades with their steps, revenue entitlements and what each party is owed. */
export const marketHandlers: HandlerMap = {
  PublicBeneficiarySet: async (ctx, { args }) => {
    await ctx.ws.put(K.meta("param:publicBeneficiary"), { value: args.account.toLowerCase(), by: args.by.toLowerCase(), at: ctx.at });
  },
  ProcurementAgentSet: async (ctx, { args }) => {
    await ctx.ws.put(K.meta("param:procurementAgent"), { value: args.account.toLowerCase(), by: args.by.toLowerCase(), at: ctx.at });
  },
  Listed: async (ctx, { args }) => {
    const t = args.terms;
    const l: ListingRecord = {
      id: args.listingId.toString(),
      productId: args.productId.toString(),
      seller: args.seller.toLowerCase(),
      authorityGrantId: args.authorityGrantId.toString(),
      status: "Active",
      priceStatus: priceStatusOf(args.priceStatus),
      price: priceOf(args.price),
      terms: { purposes: Number(t.purposes), region: Number(t.region), term: Number(t.term), cap: t.cap.toString(), scenario: Number(t.scenario), termsHash: t.termsHash },
      delisting: null,
      listed: ctx.at,
      updated: ctx.at,
    };
    await saveListing(ctx, l, "Listed", args.seller, null);
    ctx.ws.insert(K.listingsByProduct(args.productId, args.listingId), l.id);
    ctx.ws.insert(K.listingsBySeller(args.seller, args.listingId), l.id);
    const key = subjectKey(SubjectKind.Listing, args.listingId);
    await ctx.ws.put(K.party(args.seller, key), "seller");
    await referDocument(ctx, t.termsHash, key);
    await bump(ctx, K.stat("listings.domain", await domainOf(ctx, l.productId), monthOf(ctx.at.time)));
  },
  PriceFiled: async (ctx, { args }) => {
    const l = await listing(ctx, args.listingId);
    await saveListing(ctx, { ...l, price: priceOf(args.price), priceStatus: priceStatusOf(args.priceStatus) }, "PriceFiled", args.by, null);
  },
  PriceApproved: async (ctx, { args }) => {
    const l = await listing(ctx, args.listingId);
    await saveListing(ctx, { ...l, priceStatus: "Approved" }, "PriceApproved", args.by, args.reasonHash);
  },
  PriceRejected: async (ctx, { args }) => {
    const l = await listing(ctx, args.listingId);
    await saveListing(ctx, { ...l, priceStatus: "Rejected" }, "PriceRejected", args.by, args.reasonHash);
  },
  Delisted: async (ctx, { args }) => {
    const l = await listing(ctx, args.listingId);
    const delisting = { by: args.by.toLowerCase(), reasonHash: args.reasonHash, at: ctx.at };
    await saveListing(ctx, { ...l, status: "Delisted", delisting }, "Delisted", args.by, args.reasonHash);
  },
  TradeOpened: async (ctx, { args }) => {
    const s = args.trade;
    const o = args.opening;
    const t: TradeRecord = {
      id: args.tradeId.toString(),
      listingId: args.listingId.toString(),
      productId: s.productId.toString(),
      buyer: args.buyer.toLowerCase(),
      seller: o.seller.toLowerCase(),
      status: nameOf(TradeStatus, s.status) as TradeStatusName,
      procurement: s.procurement,
      amount: s.amount.toString(),
      currency: bytesText(o.currency),
      quantity: o.quantity.toString(),
      settlementRef: o.settlementRef,
      grantId: s.grantId.toString(),
      delivery: null,
      receipt: null,
      dispute: null,
      opened: ctx.at,
      updated: ctx.at,
    };
    await saveTrade(ctx, t, "TradeOpened", t.buyer);
    ctx.ws.insert(K.tradesByParty(t.buyer, args.tradeId), "buyer");
    ctx.ws.insert(K.tradesByParty(t.seller, args.tradeId), "seller");
    ctx.ws.insert(K.tradesByListing(args.listingId, args.tradeId), t.id);
    const tradeKey = subjectKey(SubjectKind.Trade, args.tradeId);
    const listingKey = subjectKey(SubjectKind.Listing, args.listingId);
    await ctx.ws.put(K.party(t.buyer, tradeKey), "buyer");
    await ctx.ws.put(K.party(t.seller, tradeKey), "seller");
    await addParty(ctx, t.buyer, listingKey, "buyer");
    const month = monthOf(ctx.at.time);
    const domain = await domainOf(ctx, t.productId);
    await bump(ctx, K.stat("trades.domain", domain, month));
    await bump(ctx, K.stat("trades.kind", t.procurement ? "Procurement" : "Purchase", month));
    await bump(ctx, K.stat("trades.amount", `${domain}/${t.currency}`, month), s.amount);
  },
  DeliveryConfirmed: async (ctx, { args }) => {
    const t = await trade(ctx, args.tradeId);
    await saveTrade(ctx, { ...t, status: "Delivered", delivery: { by: args.by.toLowerCase(), deliveryHash: args.deliveryHash, at: ctx.at } }, "DeliveryConfirmed", args.by);
    await referDocument(ctx, args.deliveryHash, subjectKey(SubjectKind.Trade, args.tradeId));
  },
  ReceiptConfirmed: async (ctx, { args }) => {
    const t = await trade(ctx, args.tradeId);
    const receipt = { by: args.by.toLowerCase(), entitlements: Number(args.entitlements), entitlementsHash: args.entitlementsHash, at: ctx.at };
    await saveTrade(ctx, { ...t, status: "Confirmed", receipt }, "ReceiptConfirmed", args.by);
    await bump(ctx, K.stat("trades.confirmed", `${await domainOf(ctx, t.productId)}/${t.currency}`, monthOf(ctx.at.time)), BigInt(t.amount));
  },
  TradeDisputed: async (ctx, { args }) => {
    const t = await trade(ctx, args.tradeId);
    await saveTrade(ctx, { ...t, status: "Disputed", dispute: { by: args.by.toLowerCase(), reasonHash: args.reasonHash, at: ctx.at } }, "TradeDisputed", args.by);
    await referDocument(ctx, args.reasonHash, subjectKey(SubjectKind.Trade, args.tradeId));
  },
  EntitlementRecorded: async (ctx, { args }) => {
    // Emitted just before the trade's ReceiptConfirmed; the currency is the trade's (the listing's at opening).
    const t = await trade(ctx, args.tradeId);
    const e: EntitlementRecord = {
      tradeId: t.id,
      party: args.party.toLowerCase(),
      role: nameOf(EntitlementRole, args.role) as EntitlementRoleName,
      subjectKind: nameOf(SubjectKind, args.subjectKind),
      subjectId: args.subjectId.toString(),
      amount: args.amount.toString(),
      currency: t.currency,
      at: ctx.at,
    };
    ctx.ws.insert(K.entitlement(args.tradeId, ctx.cp), e);
    ctx.ws.insert(K.entitlementsByParty(e.party, ctx.cp), e);
    await bump(ctx, K.owed(e.party, e.currency), args.amount);
  },
};
