import { z } from "zod";

/** The parts of an impact analysis' answer, shared by grants, operation authorizations and consents. */
export const ImpactPoint = z.object({ block: z.number(), time: z.number() }).strict();
export const ImpactGrant = z.object({ id: z.string(), parentId: z.string(), grantee: z.string(), validNow: z.boolean() }).strict();
export const ImpactProduct = z.object({ id: z.string(), holder: z.string().nullable(), inputGrantId: z.string().nullable(), fromProductId: z.string().nullable(), visible: z.boolean() }).strict();
export const ImpactListing = z
  .object({ id: z.string(), productId: z.string(), seller: z.string(), priceStatus: z.string(), viaProductId: z.string().nullable(), authorityGrantId: z.string().nullable() })
  .strict();
export const ImpactTrade = z
  .object({
    id: z.string(),
    listingId: z.string(),
    status: z.enum(["Open", "Delivered"]),
    visible: z.boolean(),
    buyer: z.string().nullable(),
    seller: z.string().nullable(),
    amount: z.string().nullable(),
    currency: z.string().nullable(),
  })
  .strict();

/** An impact analysis of a condition (an operation authorization or a consent). */
export const Impact = z
  .object({
    at: ImpactPoint,
    grants: z.array(ImpactGrant),
    products: z.array(ImpactProduct),
    listings: z.array(ImpactListing),
    trades: z.array(ImpactTrade),
    truncated: z.boolean(),
  })
  .strict();
