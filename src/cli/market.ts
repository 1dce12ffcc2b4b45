/**
 * `drl market …`: every write of Market (governance's beneficiary and procurement agent; listings and their prices;
 * trades from buying or procurement to delivery, receipt or dispute), `market show` of a listing or a trade, what a
 * party is owed, and `market check-lineage`. Amounts are in the currency's minor unit (fen for CNY): the ledger
 * records who is owed what, money settles off-chain.
 */
import { ZeroHash, hexlify, toUtf8Bytes, toUtf8String, zeroPadBytes } from "ethers";
import { EntitlementRole, ListingStatus, PriceStatus, PricingMethod, SubjectKind, TradeStatus, nameOf } from "../domain/enums.js";
import { ChainRefusal, formatDuration, formatTime, UsageError } from "./errors.js";
import { hashArg, hashOptions, hashUsage, parseAddress, parseDuration, parseEnum, parseId, parsePurposes, parseUint, positionals } from "./args.js";
import { eventOf, reportWrite, type CommandSpec, type Context, type DecodedEvent, type Values } from "./context.js";
import { subjectEvents } from "./logs.js";
import { purposeBits, verbOf } from "./admission.js";
import { table } from "./output.js";

// ---------------------------------------------------------------------------------------------------------------
// Values

/** An ISO 4217 code (`CNY`) as the contract's bytes3. */
export function parseCurrency(v: string | undefined): string {
  if (v === undefined) throw new UsageError("--currency is required (an ISO 4217 code such as CNY)");
  if (!/^[A-Za-z]{3}$/.test(v)) throw new UsageError(`--currency must be a three-letter ISO 4217 code such as CNY, got ${JSON.stringify(v)}`);
  return hexlify(toUtf8Bytes(v.toUpperCase()));
}

/** A price unit's label (`request`, `GB`, `month`) as the contract's bytes12: UTF-8, at most 12 bytes. */
export function parseUnit(v: string | undefined): string {
  if (v === undefined || v.trim() === "") throw new UsageError("--unit is required (what one unit is, e.g. request, GB, month; at most 12 bytes)");
  const bytes = toUtf8Bytes(v);
  if (bytes.length > 12) throw new UsageError(`--unit is at most 12 bytes of UTF-8, got ${bytes.length} (${JSON.stringify(v)})`);
  return zeroPadBytes(bytes, 12);
}

/** bytes3 / bytes12 back to text (the zero padding dropped). */
export function bytesText(hex: string): string {
  const trimmed = hex.replace(/(00)+$/, "");
  try {
    return trimmed === "0x" ? "" : toUtf8String(trimmed);
  } catch {
    return hex;
  }
}

interface PriceFiling {
  amount: bigint;
  currency: string;
  method: number;
  unit: string;
}

const PRICE_OPTIONS = { amount: { type: "string" }, currency: { type: "string" }, method: { type: "string" }, unit: { type: "string" } } as const;
const PRICE_USAGE = "--amount N --currency CUR --method METHOD --unit UNIT";

function parsePrice(values: Values): PriceFiling {
  return {
    amount: parseUint(values.amount as string | undefined, "--amount", 128, 1n),
    currency: parseCurrency(values.currency as string | undefined),
    method: parseEnum(PricingMethod, values.method as string | undefined, "--method"),
    unit: parseUnit(values.unit as string | undefined),
  };
}

/** A price filing as JSON and as a phrase: `1000 CNY per request (PerCall)`. */
function priceView(p: { amount: bigint; currency: string; method: bigint | number; unit: string }) {
  const v = { amount: BigInt(p.amount), currency: bytesText(p.currency), method: nameOf(PricingMethod, p.method), unit: bytesText(p.unit) };
  return { ...v, text: `${v.amount} ${v.currency} per ${v.unit} (${v.method})` };
}

/** A trade's arguments: units, and the off-chain payment's reference as a hash (`--settlement TEXT`, …). */
const QUANTITY_USAGE = `[--quantity N] ${hashUsage("settlement", "ref")}`;

/** An optional hash: zero when none of its three options is given. */
async function optionalHash(values: Values, name: string): Promise<string> {
  const given = [name, `${name}-file`, `${name}-hash`].some((k) => values[k] !== undefined);
  return given ? hashArg(values, name) : ZeroHash;
}

// ---------------------------------------------------------------------------------------------------------------
// Reads

interface ListingState {
  seller: string;
  productId: bigint;
  status: bigint;
  priceStatus: bigint;
  price: { amount: bigint; currency: string; method: bigint; unit: string };
  terms: { purposes: bigint; region: bigint; term: bigint; cap: bigint; scenario: bigint; termsHash: string };
  authorityGrantId: bigint;
}

interface TradeState {
  buyer: string;
  listingId: bigint;
  status: bigint;
  procurement: boolean;
  amount: bigint;
  grantId: bigint;
  productId: bigint;
}

async function listingState(ctx: Context, id: bigint): Promise<ListingState> {
  const [l] = await ctx.view("Market", "getListing", [id]);
  return l as unknown as ListingState;
}

/** An entitlement event as JSON. */
function entitlementOf(e: DecodedEvent) {
  return {
    party: e.args.party as string,
    role: nameOf(EntitlementRole, e.args.role as bigint),
    subjectKind: nameOf(SubjectKind, e.args.subjectKind as bigint),
    subjectId: e.args.subjectId as bigint,
    amount: e.args.amount as bigint,
  };
}

const entitlementLine = (x: ReturnType<typeof entitlementOf>, currency: string): string =>
  `${x.party} is owed ${x.amount} ${currency} as ${x.role === "InputHolder" ? `holder of ${x.subjectKind.toLowerCase()} ${x.subjectId}` : x.role === "Operator" ? `operator of product ${x.subjectId}` : `public share of product ${x.subjectId}`}`;

async function showListing(ctx: Context, id: bigint): Promise<void> {
  const l = await listingState(ctx, id);
  const events = await subjectEvents(ctx, "Market", ["Listed", "PriceFiled", "PriceApproved", "PriceRejected", "Delisted"], id);
  const price = priceView(l.price);
  const history = events.map((e) => ({ event: e.name, by: (e.args.by ?? e.args.seller) as string, block: e.block, tx: e.tx }));
  const delisted = events.find((e) => e.name === "Delisted");
  const data = {
    listingId: id,
    productId: l.productId,
    seller: l.seller,
    authorityGrantId: l.authorityGrantId,
    status: nameOf(ListingStatus, l.status),
    priceStatus: nameOf(PriceStatus, l.priceStatus),
    price: { amount: price.amount, currency: price.currency, method: price.method, unit: price.unit },
    terms: {
      purposes: Number(l.terms.purposes),
      region: Number(l.terms.region),
      term: Number(l.terms.term),
      cap: l.terms.cap,
      scenario: Number(l.terms.scenario),
      termsHash: l.terms.termsHash,
    },
    history,
  };
  ctx.out.result(data, table([
    ["listing", id],
    ["product", `${l.productId}${l.authorityGrantId === 0n ? " (sold by its holder)" : ` (sold under product-operation grant ${l.authorityGrantId})`}`],
    ["seller", l.seller],
    ["status", data.status === "Delisted" ? `delisted${delisted ? ` by ${delisted.args.by as string}` : ""}` : "active"],
    ["price", price.text],
    ["price status", { NotRequired: "no approval needed", Pending: "pending a regulator's approval", Approved: "approved by a regulator", Rejected: "rejected by a regulator" }[data.priceStatus]],
    ["licence", `purposes ${purposeBits(l.terms.purposes)}, region ${l.terms.region === 0n ? "anywhere" : l.terms.region}, for ${formatDuration(l.terms.term)}, cap ${l.terms.cap === 0n ? "none" : l.terms.cap}, scenario ${l.terms.scenario}`],
    ["terms", l.terms.termsHash],
    ["history", history.map((h) => `${h.event} (block ${h.block})`).join("; ")],
  ]));
}

async function showTrade(ctx: Context, id: bigint): Promise<void> {
  const [t] = await ctx.view("Market", "getTrade", [id]);
  const s = t as unknown as TradeState;
  const events = await subjectEvents(ctx, "Market", ["TradeOpened", "DeliveryConfirmed", "ReceiptConfirmed", "TradeDisputed", "EntitlementRecorded"], id);
  const opened = events.find((e) => e.name === "TradeOpened");
  const opening = opened?.args.opening as { seller: string; quantity: bigint; currency: string; settlementRef: string } | undefined;
  const currency = opening ? bytesText(opening.currency) : "";
  const delivered = events.find((e) => e.name === "DeliveryConfirmed");
  const disputed = events.find((e) => e.name === "TradeDisputed");
  const entitlements = events.filter((e) => e.name === "EntitlementRecorded").map(entitlementOf);
  const data = {
    tradeId: id,
    listingId: s.listingId,
    productId: s.productId,
    buyer: s.buyer,
    seller: opening?.seller ?? null,
    status: nameOf(TradeStatus, s.status),
    procurement: s.procurement,
    quantity: opening?.quantity ?? null,
    amount: s.amount,
    currency: currency || null,
    settlementRef: opening?.settlementRef ?? null,
    grantId: s.grantId,
    deliveryHash: (delivered?.args.deliveryHash as string | undefined) ?? null,
    dispute: disputed ? { by: disputed.args.by as string, reasonHash: disputed.args.reasonHash as string, block: disputed.block } : null,
    entitlements,
  };
  ctx.out.result(data, [
    ...table([
      ["trade", id],
      ["listing", `${s.listingId} (product ${s.productId})`],
      [s.procurement ? "procured by" : "buyer", s.buyer],
      ["seller", data.seller ?? "(unknown)"],
      ["amount", `${s.amount} ${currency}${opening ? ` for ${opening.quantity} unit${opening.quantity === 1n ? "" : "s"}` : ""}`],
      ["licence", s.procurement ? "every member marked as a government department" : `processing-use grant ${s.grantId}`],
      ["status", `${data.status}${disputed ? ` by ${data.dispute!.by}` : ""}`],
    ]),
    ...(entitlements.length ? ["entitlements:", ...entitlements.map((x) => `   ${entitlementLine(x, currency)}`)] : []),
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// Commands

/** `market beneficiary set` / `market procurement-agent set`. */
function partyCommand(name: "beneficiary" | "procurement-agent", fn: string, summary: string, what: string): CommandSpec {
  return {
    group: "market",
    name,
    usage: "set ADDRESS",
    summary,
    options: {},
    async run(ctx, { positionals: p }) {
      verbOf(p, ["set"], "set ADDRESS");
      const [, a] = positionals(p, ["set", "ADDRESS"]);
      const account = parseAddress(a, "ADDRESS");
      const w = await ctx.write("Market", fn, [account]);
      reportWrite(ctx, `market ${name} set`, w, `${account} is now ${what}`, { account });
    },
  };
}

/** `market buy` / `market procure`: the same arguments, a trade opened. */
function tradeCommand(name: "buy" | "procure", summary: string): CommandSpec {
  return {
    group: "market",
    name,
    usage: `LISTING ${QUANTITY_USAGE}`,
    summary,
    details: name === "buy" ? ["--quantity: units at the listing's price (default 1); --settlement: the reference of the off-chain payment"] : undefined,
    options: { quantity: { type: "string" }, ...hashOptions("settlement") },
    async run(ctx, { values, positionals: p }) {
      const [i] = positionals(p, ["LISTING"]);
      const listingId = parseId(i, "LISTING");
      const quantity = parseUint((values.quantity as string | undefined) ?? "1", "--quantity", 64, 1n);
      const settlement = await hashArg(values, "settlement");
      const w = await ctx.write("Market", name, [listingId, quantity, settlement]);
      const e = eventOf(w.events, "TradeOpened");
      const trade = e.args.trade as TradeState;
      const opening = e.args.opening as { seller: string; currency: string };
      const tradeId = e.args.tradeId as bigint;
      const currency = bytesText(opening.currency);
      reportWrite(
        ctx,
        `market ${name}`,
        w,
        `opened trade ${tradeId} on listing ${listingId} (product ${trade.productId}): ${quantity} unit${quantity === 1n ? "" : "s"}, ${trade.amount} ${currency}; ${name === "buy" ? `licence: grant ${trade.grantId}` : "every government department is licensed"}`,
        { tradeId, listingId, productId: trade.productId, quantity, amount: trade.amount, currency, seller: opening.seller, grantId: trade.grantId, procurement: trade.procurement, settlementRef: settlement },
      );
    },
  };
}

export const MARKET_COMMANDS: CommandSpec[] = [
  partyCommand("beneficiary", "setPublicBeneficiary", "name the account owed the public share (公共收益) of products with public inputs (governance)", "owed the public share"),
  partyCommand("procurement-agent", "setProcurementAgent", "name the operator that procures on governance's behalf (governance)", "the procurement agent"),
  {
    group: "market",
    name: "list",
    usage: `PRODUCT [--authority-grant ID] --purposes LIST [--region CODE] --term DURATION [--cap N] [--scenario CODE] ${hashUsage("terms")} ${PRICE_USAGE}`,
    summary: "list a product you hold (a qualified processor), or one you operate under a product-operation grant (--authority-grant)",
    details: [
      "the licence a buyer gets: --purposes bit numbers (0,1,5) or a mask; --region a GB/T 2260 code (0 or omitted = anywhere);",
      "  --term how long from the trade (30d, 12h, seconds); --cap a usage cap (0 or omitted = none); --scenario its scenario code",
      "the price (价格备案): --amount per unit in the currency's minor unit (fen for CNY); --currency an ISO 4217 code;",
      `  --method ${Object.keys(PricingMethod).join(", ")}; --unit what one unit is, at most 12 bytes (request, GB, month)`,
      "refused unless: the seller is qualified, the product certified at the level its lineage's grade needs, every input grant",
      "  along the lineage valid and no resource along it on the negative list for --purposes; public inputs need a price approval",
    ],
    options: {
      "authority-grant": { type: "string" },
      purposes: { type: "string" },
      region: { type: "string" },
      term: { type: "string" },
      cap: { type: "string" },
      scenario: { type: "string" },
      ...hashOptions("terms"),
      ...PRICE_OPTIONS,
    },
    async run(ctx, { values, positionals: p }) {
      const [i] = positionals(p, ["PRODUCT"]);
      const productId = parseId(i, "PRODUCT");
      const authorityGrantId = values["authority-grant"] === undefined ? 0n : parseId(values["authority-grant"] as string, "--authority-grant");
      const term = parseDuration(values.term as string | undefined, "--term");
      if (term === 0n || term >= 1n << 32n) throw new UsageError("--term must be above zero and fit 32 bits of seconds");
      const terms = {
        purposes: parsePurposes(values.purposes as string | undefined),
        region: Number(parseUint((values.region as string | undefined) ?? "0", "--region", 32)),
        term: Number(term),
        cap: parseUint((values.cap as string | undefined) ?? "0", "--cap", 64),
        scenario: Number(parseUint((values.scenario as string | undefined) ?? "0", "--scenario", 32)),
        termsHash: await hashArg(values, "terms"),
      };
      const price = parsePrice(values);
      const w = await ctx.write("Market", "list", [productId, authorityGrantId, terms, price]);
      const e = eventOf(w.events, "Listed");
      const listingId = e.args.listingId as bigint;
      const priceStatus = nameOf(PriceStatus, e.args.priceStatus as bigint);
      const shown = priceView(price);
      reportWrite(ctx, "market list", w, `listed product ${productId}: listing ${listingId} at ${shown.text}${priceStatus === "Pending" ? "; the price awaits a regulator's approval (public inputs)" : ""}`, {
        listingId,
        productId,
        authorityGrantId,
        terms,
        price: { amount: shown.amount, currency: shown.currency, method: shown.method, unit: shown.unit },
        priceStatus,
      });
    },
  },
  {
    group: "market",
    name: "price",
    usage: `file LISTING ${PRICE_USAGE}  |  approve|reject LISTING ${hashUsage("reason")}`,
    summary: "file a new price for your listing (seller; public inputs need approval again), or approve or reject a pending price (regulator)",
    options: { ...PRICE_OPTIONS, ...hashOptions("reason") },
    async run(ctx, { values, positionals: p }) {
      const v = verbOf(p, ["file", "approve", "reject"], "file, approve or reject");
      const [, i] = positionals(p, [v, "LISTING"]);
      const listingId = parseId(i, "LISTING");
      if (v === "file") {
        const price = parsePrice(values);
        const w = await ctx.write("Market", "filePrice", [listingId, price]);
        const priceStatus = nameOf(PriceStatus, eventOf(w.events, "PriceFiled").args.priceStatus as bigint);
        const shown = priceView(price);
        reportWrite(ctx, "market price file", w, `filed price ${shown.text} for listing ${listingId}${priceStatus === "Pending" ? "; it awaits a regulator's approval" : ""}`, {
          listingId,
          price: { amount: shown.amount, currency: shown.currency, method: shown.method, unit: shown.unit },
          priceStatus,
        });
        return;
      }
      const reason = await hashArg(values, "reason");
      const w = await ctx.write("Market", v === "approve" ? "approvePrice" : "rejectPrice", [listingId, reason]);
      reportWrite(ctx, `market price ${v}`, w, `${v === "approve" ? "approved" : "rejected"} the price of listing ${listingId}`, { listingId, priceStatus: v === "approve" ? "Approved" : "Rejected", reasonHash: reason });
    },
  },
  {
    group: "market",
    name: "delist",
    usage: `LISTING [${hashUsage("reason").slice(1, -1)}]`,
    summary: "withdraw a listing: its seller (the reason is optional), or a regulator (with a reason)",
    options: hashOptions("reason"),
    async run(ctx, { values, positionals: p }) {
      const [i] = positionals(p, ["LISTING"]);
      const listingId = parseId(i, "LISTING");
      const reason = await optionalHash(values, "reason");
      const w = await ctx.write("Market", "delist", [listingId, reason]);
      reportWrite(ctx, "market delist", w, `delisted listing ${listingId}`, { listingId, reasonHash: reason });
    },
  },
  tradeCommand("buy", "buy units of a listing: the lineage is re-checked at this block, the trade opened and a processing-use licence (a grant) issued to you (processor)"),
  tradeCommand("procure", "procure a listing on governance's behalf (政府集中采购): every government department is licensed (governance or its procurement agent)"),
  {
    group: "market",
    name: "deliver",
    usage: `TRADE ${hashUsage("delivery")}`,
    summary: "confirm delivery of an open trade (its seller); --delivery: the delivery record, e.g. the access credentials' receipt",
    options: hashOptions("delivery"),
    async run(ctx, { values, positionals: p }) {
      const [i] = positionals(p, ["TRADE"]);
      const tradeId = parseId(i, "TRADE");
      const delivery = await hashArg(values, "delivery");
      const w = await ctx.write("Market", "confirmDelivery", [tradeId, delivery]);
      reportWrite(ctx, "market deliver", w, `confirmed delivery of trade ${tradeId}`, { tradeId, deliveryHash: delivery });
    },
  },
  {
    group: "market",
    name: "receive",
    usage: "TRADE",
    summary: "confirm receipt of a delivered trade (its buyer): the trade is confirmed and the revenue entitlements along the lineage recorded",
    options: {},
    async run(ctx, { positionals: p }) {
      const [i] = positionals(p, ["TRADE"]);
      const tradeId = parseId(i, "TRADE");
      // The currency is the listing's; read it first so the entitlements print with it.
      const [t] = await ctx.view("Market", "getTrade", [tradeId]);
      const currency = bytesText((await listingState(ctx, (t as unknown as TradeState).listingId)).price.currency);
      const w = await ctx.write("Market", "confirmReceipt", [tradeId]);
      const entitlements = w.events.filter((e) => e.name === "EntitlementRecorded").map(entitlementOf);
      reportWrite(ctx, "market receive", w, [`confirmed receipt of trade ${tradeId}: ${entitlements.length} entitlement${entitlements.length === 1 ? "" : "s"} recorded`, ...entitlements.map((x) => `   ${entitlementLine(x, currency)}`)].join("\n"), {
        tradeId,
        currency,
        entitlements,
      });
    },
  },
  {
    group: "market",
    name: "dispute",
    usage: `TRADE ${hashUsage("reason")}`,
    summary: "dispute a trade that is not confirmed (its buyer or seller)",
    options: hashOptions("reason"),
    async run(ctx, { values, positionals: p }) {
      const [i] = positionals(p, ["TRADE"]);
      const tradeId = parseId(i, "TRADE");
      const reason = await hashArg(values, "reason");
      const w = await ctx.write("Market", "disputeTrade", [tradeId, reason]);
      reportWrite(ctx, "market dispute", w, `disputed trade ${tradeId}`, { tradeId, reasonHash: reason });
    },
  },
  {
    group: "market",
    name: "show",
    usage: "listing ID | trade ID",
    summary: "a listing (seller, price and its status, licence terms, history) or a trade (parties, amount, licence, status, entitlements)",
    options: {},
    async run(ctx, { positionals: p }) {
      const v = verbOf(p, ["listing", "trade"], "listing ID or trade ID");
      const [, i] = positionals(p, [v, "ID"]);
      const id = parseId(i, "ID");
      return v === "listing" ? showListing(ctx, id) : showTrade(ctx, id);
    },
  },
  {
    group: "market",
    name: "owed",
    usage: "ADDRESS --currency CUR",
    summary: "what a party is owed in a currency over every confirmed trade (minor units)",
    options: { currency: { type: "string" } },
    async run(ctx, { values, positionals: p }) {
      const [a] = positionals(p, ["ADDRESS"]);
      const party = parseAddress(a, "ADDRESS");
      const currency = parseCurrency(values.currency as string | undefined);
      const [amount] = await ctx.view("Market", "owed", [party, currency]);
      const code = bytesText(currency);
      ctx.out.result({ party, currency: code, owed: amount as bigint }, `${party} is owed ${amount as bigint} ${code}`);
    },
  },
  {
    group: "market",
    name: "check-lineage",
    usage: "PRODUCT",
    summary: "whether every input grant along a product's lineage is valid now, and the cause when not (exit 1 when not)",
    details: [
      "the check buying makes at its block: revoked, expired or frozen grants, inactive parties, withdrawn consent, ended operation",
      "  authorizations, frozen or cancelled products; --json: {valid, cause: {name, args, sentence} or null}",
    ],
    options: {},
    async run(ctx, { positionals: p }) {
      const [i] = positionals(p, ["PRODUCT"]);
      const productId = parseId(i, "PRODUCT");
      try {
        await ctx.view("Market", "checkLineage", [productId]);
      } catch (e) {
        // A lineage that does not hold is this command's answer, not a failure of the command; other refusals
        // (an unknown product) stay refusals.
        const r = e instanceof ChainRefusal ? e.revert : undefined;
        if (!r || (r.name !== "MarketLineageInvalid" && r.name !== "MarketProductNotTradable")) throw e;
        ctx.out.result({ productId, valid: false, cause: { name: r.name, args: r.args, sentence: r.sentence } }, [`product ${productId}: lineage not valid now`, `   ${r.sentence}`, `   (${r.name} ${Object.entries(r.args).map(([k, v]) => `${k}=${String(v)}`).join(" ")})`]);
        return 1;
      }
      ctx.out.result({ productId, valid: true, cause: null }, `product ${productId}: every input grant along its lineage is valid now`);
    },
  },
];
