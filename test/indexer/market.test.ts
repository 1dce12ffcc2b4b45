import { expect } from "chai";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createIndexer } from "../../src/indexer/sync.js";
import { openIndexDb, type IndexDb } from "../../src/store/db.js";
import { K } from "../../src/store/keys.js";
import { getJson } from "../../src/queries/history.js";
import { Category, Domain, Grade, ListingStatus, PriceStatus, RatingKind, SubjectKind, TradeStatus, nameOf } from "../../src/domain/enums.js";
import { subjectKey } from "../../src/domain/trace.js";
import type { EntitlementRecord, ListingHistory, ListingRecord, NegativeEntryRecord, RatingRecord, TradeHistory, TradeRecord } from "../../src/indexer/records.js";
import { ledgerFixture, provider, type LedgerFixture } from "../helpers/fixtures.js";
import { CNY } from "../helpers/market.js";
import { deploymentOf, runCoreScenario } from "../helpers/scenario.js";

/*
 * The market and admission projections against the contracts' own views, after two rounds of the core scenario
 * (each with the market scenario): every listing, trade and rating as the chain stores it, what each party is owed
 * per currency as `owed` answers, and the admission lists as the registry answers them.
 */

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function indexed(fx: LedgerFixture): Promise<IndexDb> {
  const dir = await mkdtemp(join(tmpdir(), "drl-market-"));
  dirs.push(dir);
  const db = await openIndexDb(dir);
  await createIndexer({ rpc: provider, db, deployment: await deploymentOf(fx), maxRange: 5 }).catchUp();
  return db;
}

async function prefixed<T>(db: IndexDb, prefix: string): Promise<T[]> {
  const out: T[] = [];
  for await (const [, v] of db.iterator({ gte: prefix, lt: prefix + "\xff" })) out.push(JSON.parse(v) as T);
  return out;
}

describe("Indexer: market and admission", function () {
  let fx: LedgerFixture;
  let db: IndexDb;

  before(async function () {
    fx = await ledgerFixture();
    await runCoreScenario(fx, 0);
    await runCoreScenario(fx, 1);
    db = await indexed(fx);
  });

  it("projects every listing as the market stores it, with its steps in order", async function () {
    const [listings] = await fx.market.counts();
    expect(listings).to.equal(8n);
    for (let id = 1n; id <= listings; id++) {
      const chain = await fx.market.getListing(id);
      const l = (await getJson<ListingRecord>(db, K.listing(id)))!;
      expect(l.seller).to.equal(chain.seller.toLowerCase());
      expect(l.productId).to.equal(chain.productId.toString());
      expect(l.status).to.equal(nameOf(ListingStatus, chain.status));
      expect(l.priceStatus).to.equal(nameOf(PriceStatus, chain.priceStatus));
      expect(l.price.amount).to.equal(chain.price.amount.toString());
      expect(l.price.currency).to.equal("CNY");
      expect(l.terms.term).to.equal(Number(chain.terms.term));
      expect(await db.get(K.listingsByProduct(chain.productId, id))).to.equal(id.toString());
      expect(await db.get(K.listingsBySeller(chain.seller, id))).to.equal(id.toString());
      expect(await db.get(K.party(chain.seller, subjectKey(SubjectKind.Listing, id)))).to.equal("seller");
    }
    // Listing 1: listed at 1,000 then re-filed at 1,234; listing 2 delisted by a regulator; 3 approved, 4 rejected.
    const steps = (id: bigint) => prefixed<ListingHistory>(db, `lsth:${id.toString().padStart(20, "0")}:`);
    expect((await steps(1n)).map((s) => [s.event, s.price.amount])).to.deep.equal([["Listed", "1000"], ["PriceFiled", "1234"]]);
    const delisted = await steps(2n);
    expect(delisted.map((s) => s.event)).to.deep.equal(["Listed", "Delisted"]);
    expect(delisted[1]!.by).to.equal((await fx.regulator.getAddress()).toLowerCase());
    expect((await getJson<ListingRecord>(db, K.listing(2n)))!.delisting?.by).to.equal((await fx.regulator.getAddress()).toLowerCase());
    expect((await steps(3n)).map((s) => [s.event, s.priceStatus])).to.deep.equal([["Listed", "Pending"], ["PriceApproved", "Approved"]]);
    expect((await steps(4n)).map((s) => [s.event, s.priceStatus])).to.deep.equal([["Listed", "Pending"], ["PriceRejected", "Rejected"]]);
  });

  it("projects every trade as the market stores it, with its parties, steps and entitlements", async function () {
    const [, trades] = await fx.market.counts();
    expect(trades).to.equal(8n);
    for (let id = 1n; id <= trades; id++) {
      const chain = await fx.market.getTrade(id);
      const t = (await getJson<TradeRecord>(db, K.trade(id)))!;
      const listing = await fx.market.getListing(chain.listingId);
      expect(t.buyer).to.equal(chain.buyer.toLowerCase());
      expect(t.seller).to.equal(listing.seller.toLowerCase());
      expect(t.status).to.equal(nameOf(TradeStatus, chain.status));
      expect(t.amount).to.equal(chain.amount.toString());
      expect(t.grantId).to.equal(chain.grantId.toString());
      expect(t.procurement).to.equal(chain.procurement);
      expect(t.currency).to.equal("CNY");
      expect(await db.get(K.tradesByParty(t.buyer, id))).to.equal("buyer");
      expect(await db.get(K.tradesByParty(t.seller, id))).to.equal("seller");
      expect(await db.get(K.tradesByListing(chain.listingId, id))).to.equal(id.toString());
      expect(await db.get(K.party(t.buyer, subjectKey(SubjectKind.Trade, id)))).to.equal("buyer");
      expect(await db.get(K.party(t.seller, subjectKey(SubjectKind.Trade, id)))).to.equal("seller");
      expect(await db.get(K.party(t.buyer, subjectKey(SubjectKind.Listing, chain.listingId)))).to.not.equal(undefined);
      const entitlements = await prefixed<EntitlementRecord>(db, `ent:${id.toString().padStart(20, "0")}:`);
      const steps = (await prefixed<TradeHistory>(db, `trdh:${id.toString().padStart(20, "0")}:`)).map((s) => s.event);
      if (t.status === "Confirmed") {
        // A confirmed trade's entitlements sum to its amount exactly, and their count is the receipt's.
        expect(entitlements.reduce((s, e) => s + BigInt(e.amount), 0n)).to.equal(BigInt(t.amount));
        expect(entitlements.length).to.equal(t.receipt!.entitlements).and.be.greaterThan(1);
        expect(steps).to.deep.equal(["TradeOpened", "DeliveryConfirmed", "ReceiptConfirmed"]);
      } else {
        expect(entitlements).to.deep.equal([]);
        expect(steps[0]).to.equal("TradeOpened");
      }
    }
    expect((await getJson<TradeRecord>(db, K.trade(2n)))!.status).to.equal("Disputed");
    expect((await getJson<TradeRecord>(db, K.trade(3n)))!.procurement).to.equal(true);
  });

  it("totals what each party is owed per currency exactly as the market's owed()", async function () {
    const parties = new Set<string>();
    for await (const key of db.keys({ gte: "owed:", lt: "owed:\xff" })) parties.add(key.split(":")[1]!);
    expect(parties.size).to.be.greaterThan(2);
    for (const party of parties) {
      const onChain = await fx.market.owed(party, CNY);
      expect(await db.get(K.owed(party, "CNY")), party).to.equal(onChain.toString());
      const own = await prefixed<EntitlementRecord>(db, `entby:${party}:`);
      expect(own.reduce((s, e) => s + BigInt(e.amount), 0n)).to.equal(onChain);
      expect(own.every((e) => e.party === party)).to.equal(true);
    }
    const gov = (await fx.gov.getAddress()).toLowerCase();
    expect((await prefixed<EntitlementRecord>(db, `entby:${gov}:`)).map((e) => e.role)).to.deep.equal(["Public", "Public"]);
  });

  it("projects the admission lists, levels, departments and ratings as the registry answers them", async function () {
    // Round 1 cleared the negative entry round 0 set; round 1 listed scenario 101 beside 100.
    expect(await fx.admission.prohibitedPurposes(Domain.Health, Category.Personal, Grade.Important)).to.equal(0n);
    expect(await db.get(K.negativeEntry(Domain.Health, Category.Personal, Grade.Important))).to.equal(undefined);
    const history = await prefixed<NegativeEntryRecord>(db, "negh:");
    expect(history.map((e) => e.purposes)).to.deep.equal([0b1000, 0]);
    const positive = await prefixed<{ scenario: number }>(db, "pos:");
    expect(positive.map((e) => e.scenario)).to.deep.equal([100, 101]);
    for (const s of [100, 101]) expect(await fx.admission.isEncouraged(s)).to.equal(true);
    const level = await getJson<{ level: number }>(db, K.requiredLevel(Grade.Important));
    expect(level?.level).to.equal(Number(await fx.admission.requiredLevel(Grade.Important)));
    const processor3 = await fx.processor3.getAddress();
    expect(await fx.admission.isGovernmentDepartment(processor3)).to.equal(false);
    expect(await db.get(K.governmentDepartment(processor3))).to.equal(undefined);

    const count = await fx.admission.ratingCount();
    expect(count).to.be.greaterThan(6n);
    for (let id = 1n; id <= count; id++) {
      const chain = await fx.admission.getRating(id);
      const r = (await getJson<RatingRecord>(db, K.rating(id)))!;
      expect(r.kind).to.equal(nameOf(RatingKind, chain.kind));
      expect(r.revoked).to.equal(chain.revoked);
      expect(r.level).to.equal(Number(chain.level));
      expect(r.certifier).to.equal(chain.certifier.toLowerCase());
      if (r.kind === "Qualification") {
        expect(r.member).to.equal("0x" + chain.target.toString(16).padStart(40, "0"));
        expect(await db.get(K.ratingsByMember(r.member!, id))).to.equal(id.toString());
      } else {
        expect(r.productId).to.equal(chain.target.toString());
        expect(await db.get(K.ratingsByProduct(chain.target, id))).to.equal(id.toString());
      }
    }
  });
});
