import { z } from "zod";
import { getTrade, listEntitlements, listTrades } from "../../services/trades.js";
import { Entitlement, Trade, TRADE_STATUSES, TradeStep } from "../market-schemas.js";
import { defineRoute } from "../route.js";
import { Address, Id, page, pageQuery } from "../schemas.js";

export const tradeRoutes = (maxPage: number) => [
  defineRoute({
    method: "get",
    path: "/v1/trades",
    operationId: "listTrades",
    summary: "Trades the caller is buyer or seller of (regulators: all, one member's with party=, or one listing's)",
    tag: "market",
    audience: "member",
    errors: [404],
    query: z
      .object({ party: Address.optional(), role: z.enum(["buyer", "seller"]).optional(), status: z.enum(TRADE_STATUSES).optional(), listingId: Id.optional(), ...pageQuery(maxPage) })
      .strict(),
    response: page(Trade),
    handler: ({ query, caller, deps }) =>
      listTrades(deps.db, caller!, { party: query.party, role: query.role, status: query.status, listingId: query.listingId === undefined ? undefined : BigInt(query.listingId) }, { cursor: query.cursor, limit: query.limit ?? 20 }),
  }),
  defineRoute({
    method: "get",
    path: "/v1/trades/:tradeId",
    operationId: "getTrade",
    summary: "A trade, its steps, and (once confirmed) the revenue entitlements it recorded",
    tag: "market",
    audience: "member",
    errors: [404],
    params: z.object({ tradeId: Id }).strict(),
    query: z.object({}).strict(),
    response: z.object({ trade: Trade, history: z.array(TradeStep), entitlements: z.array(Entitlement) }).strict(),
    handler: ({ params, caller, deps }) => getTrade(deps.db, caller, BigInt(params.tradeId)),
  }),
  defineRoute({
    method: "get",
    path: "/v1/entitlements",
    operationId: "listEntitlements",
    summary: "What a party is owed: its revenue entitlements and totals per currency (the caller's own; regulators: any party=)",
    tag: "market",
    audience: "member",
    errors: [404],
    query: z.object({ party: Address.optional(), ...pageQuery(maxPage) }).strict(),
    response: z.object({ party: z.string(), totals: z.array(z.object({ currency: z.string(), amount: z.string() }).strict()), items: z.array(Entitlement), nextCursor: z.string().nullable() }).strict(),
    handler: ({ query, caller, deps }) => listEntitlements(deps.db, caller!, query.party, { cursor: query.cursor, limit: query.limit ?? 20 }),
  }),
];
