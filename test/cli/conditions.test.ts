import { expect } from "chai";
import { drl, json, ok, refused, startLedger, type Run, type TestLedger } from "./harness.js";

/*
 * drl operation / consent / product against anvil, as members use them: governance authorizes an operator over a
 * public resource, a regulator evaluates it; a holder records consent on personal data; grants rest on both; products
 * are made under those grants and from each other; then the consent is withdrawn and the operator exits, and the
 * grants resting on them stop being valid. Refusals come back as the contracts' errors with a sentence.
 */
describe("drl: operation authorizations, consents, products", function () {
  this.timeout(180_000);
  let L: TestLedger;
  const ks = (i: number) => ["--keystore", L.keystore(i)];

  before(async function () {
    L = await startLedger();
    await L.admit(1, ["HOLDER"]);
    await L.admit(2, ["REGULATOR"]);
    await L.admit(3, ["PROCESSOR", "OPERATOR"]);
    await L.admit(4, ["PROCESSOR"]);
    // Resource 1: public health data; resource 2: personal data (held by key 1).
    ok(await drl(L, ["resource", "register", "--kind", "api", "--category", "public", "--grade", "general", "--domain", "health", "--open-class", "conditional", "--catalogue", "clinic visits", "--uri", "ipfs://health", ...ks(1)]));
    ok(await drl(L, ["resource", "register", "--kind", "data-set", "--category", "personal", "--grade", "general", "--domain", "health", "--catalogue", "patient records", "--uri", "ipfs://patients", ...ks(1)]));
  });
  after(async function () {
    await L?.stop();
  });

  it("operation authorize / evaluate / show: the authorization with its resources, term and evaluations; a bad score is refused", async function () {
    const authorized = ok(await drl(L, ["operation", "authorize", "--operator", L.address(3), "--resources", "1", "--scenario", "public health analytics", "--conditions", "conditions v1", "--until", "+365d", "--json", ...ks(0)]));
    const doc = json<{ command: string; result: { authorizationId: string; resourceIds: string[] }; events: { name: string }[] }>(authorized);
    expect(doc.command).to.equal("operation authorize");
    expect(doc.result).to.deep.include({ authorizationId: "1", resourceIds: ["1"] });
    expect(doc.events.map((e) => e.name)).to.include("OperationAuthorized");

    const evaluated = ok(await drl(L, ["operation", "evaluate", "1", "--period", "202611", "--score", "92", "--report", "Q4 review", ...ks(2)]));
    expect(evaluated.stdout).to.match(/^recorded score 92 for period 202611 of authorization 1\n/);
    const [badScore, notGovernance] = await Promise.all([
      drl(L, ["operation", "evaluate", "1", "--period", "202612", "--score", "101", "--report", "r", ...ks(2)]),
      drl(L, ["operation", "authorize", "--operator", L.address(3), "--resources", "1", "--scenario", "s", "--conditions", "c", "--until", "+1d", ...ks(1)]),
    ]);
    refused(badScore, "A score of 101 is out of range (0 to 100).", "OperationInvalidScore");
    expect(notGovernance.status).to.equal(1);
    expect(notGovernance.stderr).to.match(/lacks the GOVERNANCE role/);

    const shown = json<{ operator: string; status: string; inForce: boolean; resourceIds: string[]; evaluations: { score: number; period: number }[]; exit: unknown }>(ok(await drl(L, ["operation", "show", "1", "--json"])));
    expect(shown).to.deep.include({ operator: L.address(3), status: "Active", inForce: true, resourceIds: ["1"], exit: null });
    expect(shown.evaluations.map((e) => [e.period, e.score])).to.deep.equal([[202611, 92]]);
    const human = ok(await drl(L, ["operation", "show", "1"]));
    expect(human.stdout).to.match(/in force now\s+yes/);
    expect(human.stdout).to.match(/evaluations\s+202611: 92/);
    refused(await drl(L, ["operation", "show", "9"]), "There is no operation authorization 9.", "OperationUnknown");
  });

  it("consent record / show; recording on public data is refused", async function () {
    const recorded = ok(await drl(L, ["consent", "record", "--resource", "2", "--commitment-hash", "0x" + "ab".repeat(32), "--purposes", "0,1,2", "--subjects", "1200", "--until", "+365d", "--json", ...ks(1)]));
    expect(json<{ result: { consentId: string; purposes: number } }>(recorded).result).to.deep.include({ consentId: "1", purposes: 7 });
    refused(await drl(L, ["consent", "record", "--resource", "1", "--commitment", "x", "--purposes", "0", "--subjects", "1", "--until", "+1d", ...ks(1)]), "Resource 1 is not a registered personal-data resource.", "ConsentNotPersonalResource");
    const shown = json<Record<string, unknown>>(ok(await drl(L, ["consent", "show", "1", "--json"])));
    expect(shown).to.deep.include({ resourceId: "2", holder: L.address(1), commitment: "0x" + "ab".repeat(32), purposes: 7, subjects: 1200, live: true, current: true, withdrawals: [] });
  });

  it("product register over grants resting on the authorization and the consent, a derived product, show with lineage, freeze / unfreeze / cancel", async function () {
    // Grant 1 over public resource 1 to the authorized operator; grant 2 over personal resource 2 under the consent.
    ok(await drl(L, ["grant", "issue", "--to", L.address(3), "--resource", "1", "--purposes", "0,1", "--until", "+200d", "--terms", "public licence", ...ks(1)]));
    ok(await drl(L, ["grant", "issue", "--to", L.address(4), "--resource", "2", "--purposes", "0,1", "--until", "+200d", "--terms", "research licence", ...ks(1)]));
    const grantShown = json<{ conditions: { authorizationId: string; consentId: string } }>(ok(await drl(L, ["grant", "show", "2", "--json"])));
    expect(grantShown.conditions).to.deep.equal({ authorizationId: "0", consentId: "1" });

    const common = ["--kind", "data-set", "--domain", "health", "--environment", "sandbox attestation", "--uri", "ipfs://product"];
    // Different signers run side by side (each key's nonces stay in order).
    const [p1, rawExport] = await Promise.all([
      drl(L, ["product", "register", ...common, "--delivery", "api", "--input", "resource:1:1:6000", "--operator-bps", "3000", "--public-bps", "1000", "--metadata", "p1", ...ks(3)]),
      drl(L, ["product", "register", ...common, "--delivery", "raw-export", "--input", "resource:2:2:7000", "--operator-bps", "3000", "--metadata", "p2", ...ks(4)]),
    ]);
    expect(ok(p1).stdout).to.match(/^registered product 1 over resource 1 \(lineage depth 1\)\n/);
    // Raw export over personal data is refused, privacy computing is not.
    refused(rawExport, "Raw export is refused for a product with important-grade or personal data upstream", "ProductRawExportRefused");
    // Product 3 made from product 1, under a processing-use grant over it (grant 3).
    const [p2, overProduct] = await Promise.all([
      drl(L, ["product", "register", ...common, "--delivery", "privacy-computing", "--input", "resource:2:2:7000", "--operator-bps", "3000", "--metadata", "p2", ...ks(4)]),
      drl(L, ["grant", "issue", "--to", L.address(4), "--subject-kind", "product", "--subject", "1", "--purposes", "0", "--until", "+100d", "--terms", "product licence", ...ks(3)]),
    ]);
    expect(ok(p2).stdout).to.match(/^registered product 2 /);
    expect(ok(overProduct).stdout).to.match(/^issued grant 3: ProcessingUse over Product 1/);
    const p3 = json<{ result: { productId: string; depth: string } }>(ok(await drl(L, ["product", "register", ...common, "--delivery", "sandbox", "--input", "product:1:3:6000", "--operator-bps", "3000", "--public-bps", "1000", "--metadata", "p3", "--json", ...ks(4)])));
    expect(p3.result).to.deep.include({ productId: "3", depth: "2" });

    const [shownRun, human, shallowRun, restrictedRun] = await Promise.all([
      drl(L, ["product", "show", "3", "--json"]),
      drl(L, ["product", "show", "3"]),
      drl(L, ["product", "show", "3", "--depth", "1", "--json"]),
      drl(L, ["product", "show", "2", "--json"]),
    ]);
    const shown = json<{ holder: string; depth: number; kind: string; delivery: string; restricted: boolean; shares: unknown; lineage: unknown; lineageTruncated: boolean }>(ok(shownRun));
    expect(shown).to.deep.include({ holder: L.address(4), depth: 2, kind: "DataSet", delivery: "Sandbox", restricted: false, lineageTruncated: false });
    expect(shown.shares).to.deep.equal({ inputsBps: 6000, operatorBps: 3000, publicBps: 1000 });
    expect(shown.lineage).to.deep.equal([{ kind: "Product", id: "1", grantId: "3", shareBps: 6000, inputs: [{ kind: "Resource", id: "1", grantId: "1", shareBps: 6000, inputs: [] }] }]);
    expect(ok(human).stdout).to.contain("   product 3\n   <- product 1 under grant 3 (share 60.00%)\n      <- resource 1 under grant 1 (share 60.00%)\n");
    const shallow = json<{ lineage: { inputs: unknown[] }[]; lineageTruncated: boolean }>(ok(shallowRun));
    expect(shallow.lineage[0]!.inputs).to.deep.equal([]);
    expect(shallow.lineageTruncated).to.equal(true);
    expect(json<{ restricted: boolean }>(ok(restrictedRun)).restricted).to.equal(true);

    const [frozen, notHolder, cancelled] = await Promise.all([
      drl(L, ["product", "freeze", "1", "--reason", "audit", ...ks(2)]),
      drl(L, ["product", "cancel", "3", "--reason", "not mine", ...ks(3)]),
      drl(L, ["product", "cancel", "3", "--reason", "retired", ...ks(4)]),
    ]);
    ok(frozen);
    refused(notHolder, `${L.address(3)} is not the holder of product 3.`, "ProductNotHolder");
    ok(cancelled);
    refused(await drl(L, ["product", "freeze", "1", "--reason", "audit", ...ks(2)]), "Product 1 is already frozen.", "ProductFreezeUnchanged");
    const [unfrozen, afterCancel] = await Promise.all([drl(L, ["product", "unfreeze", "1", "--reason", "audit done", ...ks(2)]), drl(L, ["product", "show", "3", "--json"])]);
    ok(unfrozen);
    expect(json<{ cancelled: boolean }>(ok(afterCancel)).cancelled).to.equal(true);
  });

  it("consent withdraw in part then whole, operation exit: the grants resting on them stop being valid", async function () {
    const part = ok(await drl(L, ["consent", "withdraw", "1", "--purposes", "2", "--reason", "data subject complaint 17", ...ks(2)]));
    expect(part.stdout).to.match(/^withdrew purposes 2 of consent 1; purposes 0,1 remain\n/);
    expect(json<{ validity: { valid: boolean } }>(ok(await drl(L, ["grant", "show", "2", "--json"]))).validity.valid).to.equal(true);
    const whole = ok(await drl(L, ["consent", "withdraw", "1", "--all", "--reason", "holder withdraws", ...ks(1)]));
    expect(whole.stdout).to.match(/^withdrew consent 1 whole\n/);
    const consent = json<{ purposes: number; live: boolean; withdrawals: { by: string; withdrawn: number; remaining: number }[] }>(ok(await drl(L, ["consent", "show", "1", "--json"])));
    expect(consent).to.deep.include({ purposes: 0, live: false });
    expect(consent.withdrawals.map((w) => [w.by, w.withdrawn, w.remaining])).to.deep.equal([
      [L.address(2), 4, 3],
      [L.address(1), 3, 0],
    ]);
    expect(ok(await drl(L, ["grant", "show", "2"])).stdout).to.match(/validity\s+not valid now: at grant 2 of its chain, the consent of the personal data's subjects was withdrawn/);
    refused(await drl(L, ["consent", "withdraw", "1", "--purposes", "0", "--reason", "r", ...ks(4)]), `${L.address(4)} may not withdraw consent 1`, "ConsentNotWithdrawer");

    const exited = ok(await drl(L, ["operation", "exit", "1", "--reason", "contract ended", ...ks(3)]));
    expect(exited.stdout).to.match(/^authorization 1 ended \(voluntary exit\)\n/);
    expect(ok(await drl(L, ["grant", "show", "1"])).stdout).to.match(/not valid now: at grant 1 of its chain, the grantee's operation authorization over the public data has ended/);
    const shown = json<{ status: string; inForce: boolean; exit: { by: string; forced: boolean } }>(ok(await drl(L, ["operation", "show", "1", "--json"])));
    expect(shown).to.deep.include({ status: "Exited", inForce: false });
    expect(shown.exit).to.deep.include({ by: L.address(3), forced: false });
    refused(await drl(L, ["operation", "exit", "1", "--reason", "again", ...ks(3)]), "Operation authorization 1 has already exited.", "OperationExited");
  });

  it("usage errors exit 2 before touching the chain", async function () {
    const cases: [string[], RegExp][] = [
      [["product", "register", "--kind", "data-set", "--delivery", "api", "--domain", "health", "--input", "resource:1", "--operator-bps", "1", "--environment", "e", "--metadata", "m", "--uri", "u", ...ks(3)], /--input must be KIND:ID:GRANT:BPS/],
      [["product", "register", "--kind", "data-set", "--delivery", "api", "--domain", "health", "--input", "grant:1:1:1", "--operator-bps", "1", "--environment", "e", "--metadata", "m", "--uri", "u", ...ks(3)], /an --input is a resource or a product/],
      [["consent", "withdraw", "1", "--purposes", "1", "--all", "--reason", "r", ...ks(1)], /exactly one of --purposes LIST and --all/],
      [["operation", "authorize", "--operator", L.address(3), "--resources", "1,x", "--scenario", "s", "--conditions", "c", "--until", "+1d", ...ks(0)], /--resources must be a whole number/],
      [["product", "show", "1", "--depth", "9"], /--depth is at most 8/],
    ];
    const runs = await Promise.all(cases.map(([args]) => drl(L, args)));
    runs.forEach((r, i) => {
      expect(r.status, `${cases[i]![0].join(" ")}: ${r.stderr}`).to.equal(2);
      expect(r.stderr).to.match(cases[i]![1]);
    });
    const help = ok(await drl(undefined, ["help"]));
    for (const word of ["operation authorize", "operation exit", "consent record", "consent withdraw", "product register", "product cancel", "product show"]) expect(help.stdout).to.contain(word);
  });
});
