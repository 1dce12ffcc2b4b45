import { expect } from "chai";
import { drl, json, ok, refused, startLedger, type Run, type TestLedger } from "./harness.js";

/*
 * drl admission / market against anvil, as members use them: governance keeps the lists and levels, a certifier
 * qualifies the seller and certifies its product, the seller lists it, a buyer buys, the seller delivers, the buyer
 * confirms receipt and the revenue entitlements are recorded along the lineage; then a dispute, a procurement, a
 * revoked input grant found by check-lineage, and a product over public data whose price a regulator approves.
 * Refusals come back as the contracts' errors with a sentence; bad usage exits 2 before touching the chain.
 */
describe("drl: admission and market", function () {
  this.timeout(240_000);
  let L: TestLedger;
  const ks = (i: number) => ["--keystore", L.keystore(i)];
  const price = (amount: number) => ["--amount", String(amount), "--currency", "cny", "--method", "per-call", "--unit", "request"];
  const licence = ["--region", "330200", "--term", "30d", "--scenario", "7", "--terms", "licence v1"];

  before(async function () {
    L = await startLedger();
    // 0 governance, 1 holder, 2 regulator, 3 seller (processor, operator), 4 buyer (processor), 5 certifier.
    await L.admit(1, ["HOLDER"]);
    await L.admit(2, ["REGULATOR"]);
    await L.admit(3, ["PROCESSOR", "OPERATOR"]);
    await L.admit(4, ["PROCESSOR"]);
    await L.admit(5, ["CERTIFIER"]);
    // Resource 1 (enterprise, general, port logistics) held by 1; grant 1 over it to 3; product 1 of 3 over it.
    ok(await drl(L, ["resource", "register", "--kind", "data-set", "--category", "enterprise", "--grade", "general", "--domain", "port-logistics", "--catalogue", "berth schedules", "--uri", "ipfs://berths", ...ks(1)]));
    ok(await drl(L, ["grant", "issue", "--to", L.address(3), "--resource", "1", "--purposes", "0,1,2", "--until", "+200d", "--terms", "processing licence", ...ks(1)]));
    ok(await drl(L, ["product", "register", "--kind", "report", "--delivery", "api", "--domain", "port-logistics", "--input", "resource:1:1:7000", "--operator-bps", "3000", "--environment", "sandbox", "--metadata", "port index", "--uri", "ipfs://port-index", ...ks(3)]));
  });
  after(async function () {
    await L?.stop();
  });

  it("admission: lists and levels (governance), ratings (certifier), revocation, show; refusals decoded", async function () {
    const level = json<{ command: string; result: { grade: string; level: string }; tx: { hash: string } }>(ok(await drl(L, ["admission", "required-level", "set", "--grade", "general", "--level", "1", "--json", ...ks(0)])));
    expect(level.command).to.equal("admission required-level set");
    expect(level.result).to.deep.equal({ grade: "General", level: "1" });
    expect(level.tx.hash).to.match(/^0x[0-9a-f]{64}$/);
    const [negative, positive, notGovernance] = await Promise.all([
      drl(L, ["admission", "negative-entry", "set", "--domain", "port-logistics", "--category", "enterprise", "--grade", "general", "--purposes", "2", "--reason", "no resale of berth data", ...ks(0)]),
      drl(L, ["admission", "positive-entry", "set", "--scenario", "7", "--description", "port efficiency index", ...ks(1)]),
      drl(L, ["admission", "required-level", "set", "--grade", "important", "--level", "2", ...ks(2)]),
    ]);
    expect(ok(negative).stdout).to.match(/^negative list: \(PortLogistics, Enterprise, General\) prohibited for purposes 2\ntx 0x[0-9a-f]{64} /);
    expect(positive.status).to.equal(1);
    expect(positive.stderr).to.match(/lacks the GOVERNANCE role/);
    expect(notGovernance.stderr).to.match(/lacks the GOVERNANCE role/);
    expect(ok(await drl(L, ["admission", "positive-entry", "set", "--scenario", "7", "--description", "port efficiency index", ...ks(0)])).stdout).to.match(/^added scenario 7 to the positive list\n/);
    refused(await drl(L, ["admission", "positive-entry", "set", "--scenario", "7", "--description", "again", ...ks(0)]), "The list entry changes nothing", "AdmissionInvalidEntry");

    // Ratings 1 to 4: the product's certification, the seller's qualification, a quality score and a valuation.
    const certified = json<{ result: { ratingId: string; productId: string; level: string } }>(ok(await drl(L, ["admission", "certify", "1", "--level", "2", "--until", "+365d", "--report", "audit 2026-11", "--json", ...ks(5)])));
    expect(certified.result).to.deep.include({ ratingId: "1", productId: "1", level: "2" });
    expect(ok(await drl(L, ["admission", "qualify", L.address(3), "--level", "1", "--until", "+365d", "--report", "operator audit", ...ks(5)])).stdout).to.match(new RegExp(`^qualified ${L.address(3)} at level 1 until .*: rating 2\\n`));
    expect(ok(await drl(L, ["admission", "assess", "quality", "1", "--value", "88", "--report", "quality report", ...ks(5)])).stdout).to.match(/^recorded the quality of product 1 as 88: rating 3\n/);
    ok(await drl(L, ["admission", "assess", "valuation", "1", "--value", "500000", "--report", "valuation report", ...ks(5)]));
    const [selfRated, past, notRevoker, holderCertifies] = await Promise.all([
      drl(L, ["admission", "qualify", L.address(5), "--level", "1", "--until", "+1d", "--report", "me", ...ks(5)]),
      drl(L, ["admission", "certify", "1", "--level", "1", "--until", "2020-01-01", "--report", "old", ...ks(5)]),
      drl(L, ["admission", "revoke-rating", "3", "--reason", "mine now", ...ks(4)]),
      drl(L, ["admission", "certify", "1", "--level", "3", "--until", "+1d", "--report", "own", ...ks(3)]),
    ]);
    refused(selfRated, `Certifier ${L.address(5)} may not rate its own product or itself.`, "AdmissionConflictOfInterest");
    refused(past, "A rating needs a level above 0 and an expiry in the future (got level 1, expiry 2020-01-01", "AdmissionInvalidRating");
    refused(notRevoker, `${L.address(4)} may not revoke rating 3: only its certifier or a regulator may.`, "AdmissionNotRevoker");
    refused(holderCertifies, "lacks the CERTIFIER role", "MemberMissingRole");
    ok(await drl(L, ["admission", "revoke-rating", "4", "--reason", "valuation method withdrawn", ...ks(2)]));
    refused(await drl(L, ["admission", "revoke-rating", "4", "--reason", "again", ...ks(5)]), "Rating 4 is already revoked.", "AdmissionRatingRevoked");

    const [ratingRun, qualRun, productRun, memberRun, unknownRun] = await Promise.all([
      drl(L, ["admission", "show", "rating", "4", "--json"]),
      drl(L, ["admission", "show", "rating", "2"]),
      drl(L, ["admission", "show", "product", "1", "--json"]),
      drl(L, ["admission", "show", "member", L.address(3), "--json"]),
      drl(L, ["admission", "show", "rating", "9"]),
    ]);
    const rating = json<Record<string, unknown>>(ok(ratingRun));
    expect(rating).to.deep.include({ ratingId: "4", kind: "Valuation", target: "1", certifier: L.address(5), value: "500000", expiry: null, revoked: true, inForce: false });
    expect((rating.revocation as { by: string }).by).to.equal(L.address(2));
    expect(ok(qualRun).stdout).to.match(new RegExp(`kind\\s+Qualification\\nmember\\s+${L.address(3)}\\n`));
    expect(qualRun.stdout).to.match(/status\s+in force/);
    expect(json(ok(productRun))).to.deep.include({ productId: "1", certificationLevel: 2, ratingId: "1", requiredLevels: { General: 1, Important: 0 } });
    expect(json(ok(memberRun))).to.deep.include({ account: L.address(3), qualificationLevel: 1, ratingId: "2", governmentDepartment: false });
    refused(unknownRun, "Rating 9 does not exist.", "AdmissionUnknownRating");
  });

  it("market: list -> buy -> deliver -> receive -> owed, with the entitlements along the lineage; refusals at each step", async function () {
    const [notHolder, negative] = await Promise.all([
      drl(L, ["market", "list", "1", "--purposes", "0", ...licence, ...price(1000), ...ks(4)]),
      drl(L, ["market", "list", "1", "--purposes", "0,2", ...licence, ...price(1000), ...ks(3)]),
    ]);
    refused(notHolder, `${L.address(4)} does not hold product 1`, "MarketNotProductHolder");
    refused(negative, "Resource 1 (PortLogistics, Enterprise, General) is on the negative list for purpose bits 2.", "MarketNegativeList");

    const listed = json<{ command: string; result: Record<string, unknown>; tx: { hash: string } }>(ok(await drl(L, ["market", "list", "1", "--purposes", "0", ...licence, ...price(1000), "--json", ...ks(3)])));
    expect(listed.command).to.equal("market list");
    expect(listed.result).to.deep.include({ listingId: "1", productId: "1", authorityGrantId: "0", priceStatus: "NotRequired" });
    expect(listed.result.price).to.deep.equal({ amount: "1000", currency: "CNY", method: "PerCall", unit: "request" });
    expect(listed.result.terms).to.deep.include({ purposes: 1, region: 330200, term: 2592000, cap: "0", scenario: 7 });
    expect(ok(await drl(L, ["market", "price", "file", "1", ...price(1200), ...ks(3)])).stdout).to.match(/^filed price 1200 CNY per request \(PerCall\) for listing 1\ntx 0x/);
    const [notPending, selfTrade, notSeller] = await Promise.all([
      drl(L, ["market", "price", "approve", "1", "--reason", "fair", ...ks(2)]),
      drl(L, ["market", "buy", "1", "--settlement", "self", ...ks(3)]),
      drl(L, ["market", "price", "file", "1", ...price(1), ...ks(4)]),
    ]);
    refused(notPending, "The price of listing 1 is not pending (it is NotRequired).", "MarketPriceNotPending");
    refused(selfTrade, `${L.address(3)} cannot buy its own listing.`, "MarketSelfTrade");
    refused(notSeller, `${L.address(4)} is not the seller of listing 1.`, "MarketNotSeller");

    // Trade 1: 3 units at 1,200; the licence is grant 2.
    const bought = json<{ result: Record<string, unknown>; events: { name: string }[] }>(ok(await drl(L, ["market", "buy", "1", "--quantity", "3", "--settlement", "bank transfer 0001", "--json", ...ks(4)])));
    expect(bought.result).to.deep.include({ tradeId: "1", listingId: "1", productId: "1", quantity: "3", amount: "3600", currency: "CNY", seller: L.address(3), grantId: "2", procurement: false });
    expect(bought.events.map((e) => e.name)).to.include.members(["GrantIssued", "TradeOpened"]);
    const [early, wrongParty] = await Promise.all([drl(L, ["market", "receive", "1", ...ks(4)]), drl(L, ["market", "deliver", "1", "--delivery", "keys sent", ...ks(4)])]);
    refused(early, "Trade 1 is Open; this step does not apply.", "MarketTradeStatus");
    refused(wrongParty, `${L.address(4)} is not the party of trade 1 this step belongs to.`, "MarketNotParty");
    expect(ok(await drl(L, ["market", "deliver", "1", "--delivery", "api keys sent 2026-11-28", ...ks(3)])).stdout).to.match(/^confirmed delivery of trade 1\n/);
    const received = ok(await drl(L, ["market", "receive", "1", ...ks(4)]));
    expect(received.stdout).to.contain(
      `confirmed receipt of trade 1: 2 entitlements recorded\n   ${L.address(1)} is owed 2520 CNY as holder of resource 1\n   ${L.address(3)} is owed 1080 CNY as operator of product 1\ntx 0x`,
    );
    refused(await drl(L, ["market", "receive", "1", ...ks(4)]), "Trade 1 is Confirmed; this step does not apply.", "MarketTradeStatus");

    const [holderOwed, sellerOwed, otherCurrency, tradeRun, listingRun] = await Promise.all([
      drl(L, ["market", "owed", L.address(1), "--currency", "CNY", "--json"]),
      drl(L, ["market", "owed", L.address(3), "--currency", "CNY"]),
      drl(L, ["market", "owed", L.address(1), "--currency", "EUR", "--json"]),
      drl(L, ["market", "show", "trade", "1", "--json"]),
      drl(L, ["market", "show", "listing", "1", "--json"]),
    ]);
    expect(json(ok(holderOwed))).to.deep.include({ party: L.address(1), currency: "CNY", owed: "2520" });
    expect(ok(sellerOwed).stdout).to.equal(`${L.address(3)} is owed 1080 CNY\n`);
    expect(json(ok(otherCurrency))).to.deep.include({ owed: "0" });
    const trade = json<Record<string, unknown>>(ok(tradeRun));
    expect(trade).to.deep.include({ tradeId: "1", buyer: L.address(4), seller: L.address(3), status: "Confirmed", quantity: "3", amount: "3600", currency: "CNY", grantId: "2", dispute: null });
    expect(trade.entitlements).to.deep.equal([
      { party: L.address(1), role: "InputHolder", subjectKind: "Resource", subjectId: "1", amount: "2520" },
      { party: L.address(3), role: "Operator", subjectKind: "Product", subjectId: "1", amount: "1080" },
    ]);
    const listing = json<{ status: string; priceStatus: string; price: unknown; history: { event: string }[] }>(ok(listingRun));
    expect(listing).to.deep.include({ status: "Active", priceStatus: "NotRequired", price: { amount: "1200", currency: "CNY", method: "PerCall", unit: "request" } });
    expect(listing.history.map((h) => h.event)).to.deep.equal(["Listed", "PriceFiled"]);
    expect(ok(await drl(L, ["grant", "show", "2", "--json"])).stdout).to.contain(`"grantee": "${L.address(4)}"`);
  });

  it("market: dispute, procurement for government departments, check-lineage decodes the cause, delist", async function () {
    const t2 = json<{ result: { tradeId: string } }>(ok(await drl(L, ["market", "buy", "1", "--settlement", "bank transfer 0002", "--json", ...ks(4)])));
    expect(t2.result.tradeId).to.equal("2");
    expect(ok(await drl(L, ["market", "dispute", "2", "--reason", "never delivered", ...ks(4)])).stdout).to.match(/^disputed trade 2\n/);
    refused(await drl(L, ["market", "deliver", "2", "--delivery", "late", ...ks(3)]), "Trade 2 is Disputed; this step does not apply.", "MarketTradeStatus");
    expect(json<{ dispute: { by: string } }>(ok(await drl(L, ["market", "show", "trade", "2", "--json"]))).dispute.by).to.equal(L.address(4));

    refused(await drl(L, ["market", "procure", "1", "--settlement", "p", ...ks(4)]), `${L.address(4)} is neither governance nor its procurement agent.`, "MarketNotProcurementAgent");
    ok(await drl(L, ["market", "procurement-agent", "set", L.address(3), ...ks(0)]));
    const procured = ok(await drl(L, ["market", "procure", "1", "--quantity", "2", "--settlement", "procurement 2026/88", ...ks(0)]));
    expect(procured.stdout).to.match(/^opened trade 3 on listing 1 \(product 1\): 2 units, 2400 CNY; every government department is licensed\n/);
    expect(ok(await drl(L, ["admission", "gov-department", "mark", L.address(4), ...ks(0)])).stdout).to.match(new RegExp(`^${L.address(4)} is now marked as a government department\\n`));
    const [again, departmentBuys] = await Promise.all([
      drl(L, ["market", "procure", "1", "--settlement", "p2", ...ks(0)]),
      drl(L, ["market", "buy", "1", "--settlement", "b", ...ks(4)]),
    ]);
    refused(again, "Product 1 was procured by trade 3: government departments are licensed already.", "MarketAlreadyProcured");
    refused(departmentBuys, "Product 1 was procured by trade 3", "MarketAlreadyProcured");

    const valid = ok(await drl(L, ["market", "check-lineage", "1"]));
    expect(valid.stdout).to.equal("product 1: every input grant along its lineage is valid now\n");
    ok(await drl(L, ["grant", "revoke", "1", "--reason", "licence breach", ...ks(1)]));
    const [invalid, invalidJson] = await Promise.all([drl(L, ["market", "check-lineage", "1"]), drl(L, ["market", "check-lineage", "1", "--json"])]);
    expect(invalid.status).to.equal(1);
    expect(invalid.stdout).to.match(/^product 1: lineage not valid now\n   Input grant 1 of product 1 is not valid: at grant 1 of its chain, .*revoked/);
    expect(invalid.stdout).to.contain("(MarketLineageInvalid productId=1 grantId=1 reason=Revoked atGrant=1)");
    expect(invalidJson.status).to.equal(1);
    const doc = json<{ valid: boolean; cause: { name: string; args: Record<string, string> } }>(invalidJson);
    expect(doc.valid).to.equal(false);
    expect(doc.cause).to.deep.include({ name: "MarketLineageInvalid" });
    expect(doc.cause.args).to.deep.include({ grantId: "1", reason: "Revoked" });
    refused(await drl(L, ["market", "check-lineage", "9"]), "There is no product 9.", "ProductUnknown");

    const [regulatorNoReason, delisted] = await Promise.all([drl(L, ["market", "delist", "1", ...ks(2)]), drl(L, ["market", "show", "listing", "1"])]);
    refused(regulatorNoReason, "A hash (terms, settlement, delivery or reason) is zero.", "MarketEmptyHash");
    expect(ok(delisted).stdout).to.match(/status\s+active/);
    expect(ok(await drl(L, ["market", "delist", "1", ...ks(3)])).stdout).to.match(/^delisted listing 1\n/);
    expect(ok(await drl(L, ["market", "show", "listing", "1"])).stdout).to.match(new RegExp(`status\\s+delisted by ${L.address(3)}`));
    refused(await drl(L, ["market", "buy", "1", "--settlement", "late", ...ks(4)]), "Listing 1 is delisted.", "MarketListingNotActive");
  });

  it("market: a product over public data trades only at a price a regulator approved; the public share is owed", async function () {
    ok(await drl(L, ["resource", "register", "--kind", "api", "--category", "public", "--grade", "general", "--domain", "port-logistics", "--open-class", "conditional", "--catalogue", "vessel arrivals", "--uri", "ipfs://arrivals", ...ks(1)]));
    ok(await drl(L, ["operation", "authorize", "--operator", L.address(3), "--resources", "2", "--scenario", "port index", "--conditions", "conditions v1", "--until", "+365d", ...ks(0)]));
    const g = json<{ result: { grantId: string } }>(ok(await drl(L, ["grant", "issue", "--to", L.address(3), "--resource", "2", "--purposes", "0", "--until", "+200d", "--terms", "public licence", "--json", ...ks(1)]))).result.grantId;
    const p = json<{ result: { productId: string } }>(ok(await drl(L, ["product", "register", "--kind", "report", "--delivery", "api", "--domain", "port-logistics", "--input", `resource:2:${g}:7000`, "--operator-bps", "2000", "--public-bps", "1000", "--environment", "sandbox", "--metadata", "arrivals index", "--uri", "ipfs://arrivals-index", "--json", ...ks(3)]))).result.productId;
    refused(await drl(L, ["market", "list", p, "--purposes", "0", ...licence, ...price(500), ...ks(3)]), `Product ${p} has certification level 0 in force; its lineage needs at least level 1`, "MarketCertificationTooLow");
    ok(await drl(L, ["admission", "certify", p, "--level", "1", "--until", "+365d", "--report", "audit", ...ks(5)]));
    const listed = ok(await drl(L, ["market", "list", p, "--purposes", "0", ...licence, ...price(500), ...ks(3)]));
    expect(listed.stdout).to.match(/^listed product \d+: listing 2 at 500 CNY per request \(PerCall\); the price awaits a regulator's approval \(public inputs\)\n/);
    refused(await drl(L, ["market", "buy", "2", "--settlement", "s", ...ks(4)]), "The price of listing 2 needs a regulator's approval first (it is Pending).", "MarketPriceNotApproved");
    expect(ok(await drl(L, ["market", "price", "approve", "2", "--reason", "cost-based", ...ks(2)])).stdout).to.match(/^approved the price of listing 2\n/);
    const t = json<{ result: { tradeId: string; amount: string } }>(ok(await drl(L, ["market", "buy", "2", "--quantity", "4", "--settlement", "s", "--json", ...ks(4)]))).result;
    expect(t.amount).to.equal("2000");
    ok(await drl(L, ["market", "deliver", t.tradeId, "--delivery", "d", ...ks(3)]));
    const received = json<{ result: { entitlements: { party: string; role: string; amount: string }[] } }>(ok(await drl(L, ["market", "receive", t.tradeId, "--json", ...ks(4)])));
    expect(received.result.entitlements.map((e) => [e.party, e.role, e.amount])).to.deep.equal([
      [L.address(1), "InputHolder", "1400"],
      [L.address(0), "Public", "200"],
      [L.address(3), "Operator", "400"],
    ]);
    expect(json(ok(await drl(L, ["market", "owed", L.address(0), "--currency", "CNY", "--json"])))).to.deep.include({ owed: "200" });

    // A new filing needs approval again; rejected, the listing does not trade.
    expect(ok(await drl(L, ["market", "price", "file", "2", ...price(9000), ...ks(3)])).stdout).to.match(/; it awaits a regulator's approval\n/);
    ok(await drl(L, ["market", "price", "reject", "2", "--reason", "above cost", ...ks(2)]));
    expect(json(ok(await drl(L, ["market", "show", "listing", "2", "--json"])))).to.deep.include({ priceStatus: "Rejected" });
    refused(await drl(L, ["market", "buy", "2", "--settlement", "s2", ...ks(4)]), "(it is Rejected)", "MarketPriceNotApproved");
  });

  it("usage errors exit 2 before touching the chain", async function () {
    const list = ["market", "list", "1", "--purposes", "0", ...licence];
    const cases: [string[], RegExp][] = [
      [[...list, "--amount", "1", "--currency", "CNYX", "--method", "fixed", "--unit", "u", ...ks(3)], /--currency must be a three-letter ISO 4217 code/],
      [[...list, "--amount", "1", "--currency", "CNY", "--method", "fixed", "--unit", "thirteen byte", ...ks(3)], /--unit is at most 12 bytes of UTF-8, got 13/],
      [[...list, "--amount", "0", "--currency", "CNY", "--method", "fixed", "--unit", "u", ...ks(3)], /--amount must be between 1 and/],
      [[...list, "--amount", "1", "--currency", "CNY", "--method", "barter", "--unit", "u", ...ks(3)], /unknown --method "barter"/],
      [["market", "list", "1", "--purposes", "0", "--term", "0", "--terms", "t", ...price(1), ...ks(3)], /--term must be above zero/],
      [["market", "price", "set", "1", ...price(1), ...ks(3)], /expected file, approve or reject, got "set"/],
      [["market", "show", "offer", "1"], /expected listing ID or trade ID/],
      [["market", "buy", "1", "--quantity", "0", "--settlement", "s", ...ks(4)], /--quantity must be between 1 and/],
      [["market", "buy", "1", ...ks(4)], /give the settlement: --settlement TEXT/],
      [["market", "owed", L.address(1)], /--currency is required/],
      [["market", "beneficiary", L.address(1), ...ks(0)], /expected set ADDRESS/],
      [["admission", "gov-department", "mark", "0x1234", ...ks(0)], /ADDRESS must be an address/],
      [["admission", "assess", "price", "1", "--value", "1", "--report", "r", ...ks(5)], /expected quality or valuation/],
      [["admission", "certify", "1", "--level", "0", "--until", "+1d", "--report", "r", ...ks(5)], /--level must be between 1 and 255/],
      [["admission", "negative-entry", "--domain", "health", ...ks(0)], /expected set, got nothing/],
      [["admission", "show", "member", "1"], /ADDRESS must be an address/],
      [["market", "trade", "1"], /unknown command "market trade"/],
    ];
    const runs = await Promise.all(cases.map(([args]) => drl(L, args)));
    runs.forEach((r, i) => {
      expect(r.status, `${cases[i]![0].join(" ")}: ${r.stderr}`).to.equal(2);
      expect(r.stderr, cases[i]![0].join(" ")).to.match(cases[i]![1]);
    });
    const usageJson = json<{ ok: boolean; exitCode: number; error: { kind: string } }>(await drl(L, ["market", "show", "offer", "1", "--json"]));
    expect(usageJson).to.deep.include({ ok: false, exitCode: 2 });
    expect(usageJson.error.kind).to.equal("usage");
    const help = ok(await drl(undefined, ["help"]));
    for (const word of ["admission negative-entry set", "admission certify", "admission show rating ID", "market list PRODUCT", "market price file LISTING", "market check-lineage PRODUCT", "market owed ADDRESS"]) expect(help.stdout).to.contain(word);
  });
});
