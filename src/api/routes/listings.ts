import { z } from "zod";
import { getListing, listListings } from "../../services/listings.js";
import { Listing, LISTING_STATUSES, ListingStep } from "../market-schemas.js";
import { defineRoute } from "../route.js";
import { Address, Id, page, pageQuery } from "../schemas.js";

export const listingRoutes = (maxPage: number) => [
  defineRoute({
    method: "get",
    path: "/v1/listings",
    operationId: "listListings",
    summary: "The market catalogue: active listings for anyone; delisted ones for their seller, buyers and regulators",
    tag: "market",
    audience: "public",
    query: z.object({ productId: Id.optional(), seller: Address.optional(), status: z.enum(LISTING_STATUSES).optional(), ...pageQuery(maxPage) }).strict(),
    response: page(Listing),
    handler: ({ query, caller, deps }) =>
      listListings(deps.db, caller, { productId: query.productId === undefined ? undefined : BigInt(query.productId), seller: query.seller, status: query.status }, { cursor: query.cursor, limit: query.limit ?? 20 }),
  }),
  defineRoute({
    method: "get",
    path: "/v1/listings/:listingId",
    operationId: "getListing",
    summary: "A listing with its price filings, price decisions and delisting (newest 100 steps)",
    tag: "market",
    audience: "public",
    errors: [404],
    params: z.object({ listingId: Id }).strict(),
    query: z.object({}).strict(),
    response: z.object({ listing: Listing, history: z.array(ListingStep), historyTruncated: z.boolean() }).strict(),
    handler: ({ params, caller, deps }) => getListing(deps.db, caller, BigInt(params.listingId)),
  }),
];
