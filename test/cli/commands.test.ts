import { expect } from "chai";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ANVIL_KEYS } from "../../scripts/lib/anvil.js";
import { drl, json, startLedger, type TestLedger } from "./harness.js";

/** The CLI as a member uses it, against anvil: keys, one write per group (and a refusal), reads, usage errors. */
describe("drl: keys, members, resources, grants", function () {
  this.timeout(60_000);
  let L: TestLedger;
  const ks = (i: number) => ["--keystore", L.keystore(i)];

  before(async function () {
    L = await startLedger();
    await L.admit(2, ["REGULATOR"]);
    await L.admit(3, ["PROCESSOR"]);
    await L.admit(4, ["PROCESSOR"]);
  });
  after(async function () {
    await L?.stop();
  });

  it("key new / address / import: 0600 keystores, the address without a passphrase, never overwriting", async function () {
    const out = join(L.dir, "new.json");
    const created = await drl(L, ["key", "new", "--out", out, "--json"]);
    expect(created.status, created.stderr).to.equal(0);
    const { address } = json<{ address: string }>(created);
    expect(address).to.match(/^0x[0-9a-fA-F]{40}$/);
    expect((await stat(out)).mode & 0o777).to.equal(0o600);
    const stored = JSON.parse(await readFile(out, "utf8")) as { Crypto?: { kdfparams: { n: number } }; crypto?: { kdfparams: { n: number } } };
    expect((stored.Crypto ?? stored.crypto)!.kdfparams.n).to.equal(1024); // DRL_KEYSTORE_FAST=1
    const plain = join(L.dir, "governance.key");
    await writeFile(plain, ANVIL_KEYS[0] + "\n", { mode: 0o600 });
    const loose = join(L.dir, "loose.key");
    await writeFile(loose, ANVIL_KEYS[1] + "\n", { mode: 0o644 });
    const [again, shown, imported, refused] = await Promise.all([
      drl(L, ["key", "new", "--out", out]),
      drl(L, ["key", "address", "--keystore", out], { DRL_PASSPHRASE: undefined }),
      drl(L, ["key", "import", "--from-plain", plain, "--out", join(L.dir, "gov.json")]),
      drl(L, ["key", "import", "--from-plain", loose, "--out", join(L.dir, "loose.json")]),
    ]);
    expect(again.status).to.equal(2);
    expect(again.stderr).to.match(/never overwritten/);

    expect(shown.status, shown.stderr).to.equal(0);
    expect(shown.stdout.trim()).to.equal(address);

    // The runtime's plain governance key (0600) into a keystore; a key readable by others is refused (exit 3).
    expect(imported.status, imported.stderr).to.equal(0);
    expect(imported.stdout).to.contain(L.address(0));
    expect(refused.status).to.equal(3);
    expect(refused.stderr).to.match(/readable by others/);
  });

  it("key problems exit 3: wrong passphrase, no passphrase without a terminal, no keystore, not a keystore", async function () {
    const args = ["member", "suspend", L.address(3), "--reason", "x"];
    const [wrong, none, noKeystore, notKeystore] = await Promise.all([
      drl(L, [...args, ...ks(0)], { DRL_PASSPHRASE: "not it" }),
      drl(L, [...args, ...ks(0)], { DRL_PASSPHRASE: undefined }),
      drl(L, args),
      drl(L, [...args, "--keystore", L.deploymentFile, "--json"]),
    ]);
    expect(wrong.status).to.equal(3);
    expect(wrong.stderr).to.match(/wrong passphrase/);
    expect(none.status).to.equal(3);
    expect(none.stderr).to.match(/no passphrase: set DRL_PASSPHRASE/);
    expect(noKeystore.status).to.equal(3);
    expect(noKeystore.stderr).to.match(/--keystore FILE or set DRL_KEYSTORE/);
    expect(notKeystore.status).to.equal(3);
    expect(json(notKeystore)).to.deep.include({ ok: false, exitCode: 3 });
  });

  it("usage errors exit 2 and never touch the chain; a key on the command line is refused", async function () {
    const cases: [string[], RegExp][] = [
      [["resource", "launch"], /unknown command "resource launch"/],
      [["membre", "show"], /unknown command group "membre"/],
      [["resource", "register", "--kind", "dataset", "--category", "enterprise", "--grade", "general", "--domain", "finance", "--catalogue", "c", ...ks(1)], /--uri URI is required/],
      [["resource", "register", "--kind", "dataset", "--category", "enterprise", "--grade", "general", "--domain", "mars", "--catalogue", "c", "--uri", "u", ...ks(1)], /unknown --domain "mars"/],
      [["grant", "revoke", "7", "--reason", "a", "--reason-hash", "0x" + "11".repeat(32), ...ks(1)], /only one of --reason, --reason-file, --reason-hash/],
      [["grant", "revoke", "7", "--reason-hash", "0x1234", ...ks(1)], /32-byte hash/],
      [["member", "show", "0x1234"], /must be an address/],
      [["member", "show", L.address(1), "--colour"], /Unknown option '--colour'/],
      [["member", "suspend", L.address(3), "--reason", "x", "--private-key", ANVIL_KEYS[0]], /never taken on the command line/],
    ];
    const runs = await Promise.all(cases.map(([args]) => drl(L, args)));
    runs.forEach((r, i) => {
      expect(r.status, `${cases[i]![0].join(" ")}: ${r.stderr}`).to.equal(2);
      expect(r.stderr).to.match(cases[i]![1]);
      expect(r.stderr).to.not.contain(ANVIL_KEYS[0]);
    });
    const help = await drl(undefined, ["help"]);
    expect(help.status).to.equal(0);
    for (const word of ["member admit", "resource import", "grant issue", "--X-file PATH", "exit codes", "3  key or passphrase problem"]) expect(help.stdout).to.contain(word);
  });

  it("member group: admit with --json, then show", async function () {
    const admitted = await drl(L, ["member", "admit", L.address(1), "--org", "91330200MA2XXXXX1X", "--credential-file", L.deploymentFile, "--roles", "holder", "--json", ...ks(0)]);
    expect(admitted.status, admitted.stderr).to.equal(0);
    const doc = json<{ ok: boolean; command: string; result: { roles: string[] }; tx: { hash: string; blockNumber: number }; events: { name: string }[] }>(admitted);
    expect(doc.ok).to.equal(true);
    expect(doc.command).to.equal("member admit");
    expect(doc.result.roles).to.deep.equal(["HOLDER"]);
    expect(doc.tx.hash).to.match(/^0x[0-9a-f]{64}$/);
    expect(doc.events.map((e) => e.name)).to.include.members(["MemberAdmitted", "RoleGranted", "TraceRecorded"]);
    const shown = await drl(L, ["member", "show", L.address(1), "--json"]);
    expect(json(shown)).to.deep.include({ status: "Active", roles: ["HOLDER"] });
  });

  it("resource group: register, show; a refused write exits 1 with the decoded error and a sentence", async function () {
    const reg = await drl(L, ["resource", "register", "--kind", "data-set", "--category", "enterprise", "--grade", "general", "--domain", "port-logistics", "--catalogue", "port calls 2026", "--uri", "ipfs://catalogue/port-calls", ...ks(1)]);
    expect(reg.status, reg.stderr).to.equal(0);
    expect(reg.stdout).to.match(/^registered resource 1\ntx 0x[0-9a-f]{64} \(block \d+, gas \d+, from 0x/);
    // A holder may not freeze: MemberMissingRole bubbles up from the member registry through the resource registry.
    const [shown, refused, refusedJson, unknown] = await Promise.all([
      drl(L, ["resource", "show", "1", "--json"]),
      drl(L, ["resource", "freeze", "1", "--reason", "suspicious", ...ks(1)]),
      drl(L, ["resource", "freeze", "1", "--reason", "suspicious", "--json", ...ks(1)]),
      drl(L, ["resource", "show", "99"]),
    ]);
    expect(json(shown)).to.deep.include({ holder: L.address(1), kind: "DataSet", domain: "PortLogistics", status: "Active", version: 1 });
    expect(refused.status).to.equal(1);
    expect(refused.stderr).to.contain(`${L.address(1)} is an active member but lacks the REGULATOR role this action needs.`);
    expect(refused.stderr).to.contain("MemberMissingRole");
    expect(refused.stderr + refused.stdout).to.not.match(/execution reverted/i);
    expect(refusedJson.status).to.equal(1);
    expect(json(refusedJson)).to.deep.include({ ok: false, exitCode: 1 });
    expect(json<{ error: { name: string; args: Record<string, string> } }>(refusedJson).error).to.deep.include({ name: "MemberMissingRole", args: { account: L.address(1), role: "REGULATOR" } });
    expect(unknown.status).to.equal(1);
    expect(unknown.stderr).to.contain("There is no resource 99.");
  });

  it("grant group: a root grant, a sub-grant with --parent, show with on-chain validity, revoke", async function () {
    const root = await drl(L, ["grant", "issue", "--to", L.address(3), "--resource", "1", "--purposes", "0,1", "--region", "330200", "--until", "+365d", "--sub-grantable", "--depth", "2", "--terms", "licence v1", "--json", ...ks(1)]);
    expect(root.status, root.stderr).to.equal(0);
    expect(json<{ result: { grantId: string } }>(root).result.grantId).to.equal("1");
    const sub = await drl(L, ["grant", "issue", "--to", L.address(4), "--parent", "1", "--purposes", "0", "--region", "330203", "--until", "+30d", "--terms-hash", "0x" + "42".repeat(32), ...ks(3)]);
    expect(sub.status, sub.stderr).to.equal(0);
    expect(sub.stdout).to.match(/^issued grant 2: ProcessingUse over Resource 1 to 0x[0-9a-fA-F]{40}, under grant 1/);
    // A wider sub-grant is refused with the parent's scope field named.
    const [wider, shown] = await Promise.all([
      drl(L, ["grant", "issue", "--to", L.address(4), "--parent", "1", "--purposes", "0,2", "--until", "+30d", "--terms", "t", ...ks(3)]),
      drl(L, ["grant", "show", "2", "--json"]),
    ]);
    expect(wider.status).to.equal(1);
    expect(wider.stderr).to.contain("The sub-grant exceeds its parent grant 1 in its purposes");
    const valid = json<{ validity: { valid: boolean; reason: string } }>(shown);
    expect(valid.validity).to.deep.include({ valid: true, reason: "None" });
    const revoked = await drl(L, ["grant", "revoke", "1", "--reason", "breach of terms", ...ks(1)]);
    expect(revoked.status, revoked.stderr).to.equal(0);
    const after = await drl(L, ["grant", "show", "2"]);
    expect(after.stdout).to.match(/validity\s+not valid now: at grant 1 of its chain, the grant is revoked/);
    const again = await drl(L, ["grant", "revoke", "1", "--reason", "again", ...ks(1)]);
    expect(again.status).to.equal(1);
    expect(again.stderr).to.contain("Grant 1 is already revoked.");
  });

  it("a node that cannot be reached exits 1", async function () {
    const r = await drl(L, ["member", "show", L.address(1), "--rpc", "http://127.0.0.1:9"]);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/cannot reach the node at http:\/\/127\.0\.0\.1:9/);
  });
});
