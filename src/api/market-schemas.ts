import { z } from "zod";
import { At } from "./schemas.js";

/** Response shapes of the market routes (listings, trades, entitlements), as the indexer stores them. */
export const Price = z.object({ amount: z.string(), currency: z.string(), method: z.string(), unit: z.string() }).strict();
export const Terms = z.object({ purposes: z.number(), region: z.number(), term: z.number(), cap: z.string(), scenario: z.number(), termsHash: z.string() }).strict();
export const LISTING_STATUSES = ["Active", "Delisted"] as const;
export const PRICE_STATUSES = ["NotRequired", "Pending", "Approved", "Rejected"] as const;
export const TRADE_STATUSES = ["Open", "Delivered", "Confirmed", "Disputed"] as const;

export const Listing = z
  .object({
    id: z.string(),
    productId: z.string(),
    seller: z.string(),
    authorityGrantId: z.string(),
    status: z.enum(LISTING_STATUSES),
    priceStatus: z.enum(PRICE_STATUSES),
    price: Price,
    terms: Terms,
    delisting: z.object({ by: z.string(), reasonHash: z.string(), at: At }).strict().nullable(),
    listed: At,
    updated: At,
  })
  .strict();

export const ListingStep = z
  .object({
    event: z.enum(["Listed", "PriceFiled", "PriceApproved", "PriceRejected", "Delisted"]),
    by: z.string(),
    reasonHash: z.string().nullable(),
    status: z.enum(LISTING_STATUSES),
    priceStatus: z.enum(PRICE_STATUSES),
    price: Price,
    at: At,
  })
  .strict();

export const Trade = z
  .object({
    id: z.string(),
    listingId: z.string(),
    productId: z.string(),
    buyer: z.string(),
    seller: z.string(),
    status: z.enum(TRADE_STATUSES),
    procurement: z.boolean(),
    amount: z.string(),
    currency: z.string(),
    quantity: z.string(),
    settlementRef: z.string(),
    grantId: z.string(),
    delivery: z.object({ by: z.string(), deliveryHash: z.string(), at: At }).strict().nullable(),
    receipt: z.object({ by: z.string(), entitlements: z.number(), entitlementsHash: z.string(), at: At }).strict().nullable(),
    dispute: z.object({ by: z.string(), reasonHash: z.string(), at: At }).strict().nullable(),
    opened: At,
    updated: At,
  })
  .strict();

export const TradeStep = z.object({ event: z.enum(["TradeOpened", "DeliveryConfirmed", "ReceiptConfirmed", "TradeDisputed"]), by: z.string(), status: z.enum(TRADE_STATUSES), at: At }).strict();

export const Entitlement = z
  .object({ tradeId: z.string(), party: z.string(), role: z.enum(["InputHolder", "Operator", "Public"]), subjectKind: z.string(), subjectId: z.string(), amount: z.string(), currency: z.string(), at: At })
  .strict();
