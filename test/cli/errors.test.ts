import { expect } from "chai";
import { AbiCoder, Interface, Transaction, SigningKey, keccak256, toUtf8Bytes, type ErrorFragment, type ParamType } from "ethers";
import { LEDGER_INTERFACES } from "../../src/chain/contracts.js";
import { ERROR_SENTENCES, FORMATTERS, LEDGER_ERRORS, decodeRevert, placeholders, renderSentence } from "../../src/cli/errors.js";
import { hashArg, parsePurposes, parseTime, parseEnum, parseRoles, NO_EXPIRY } from "../../src/cli/args.js";
import { parseCsv } from "../../src/cli/import.js";
import { TxSigner, bumpFees } from "../../src/cli/send.js";
import { Category, OpenClass } from "../../src/domain/enums.js";
import { ROLE_IDS } from "../../src/domain/roles.js";

/** Every custom error of every ledger contract ABI (the three core registries first of all). */
function abiErrors(): { contract: string; fragment: ErrorFragment }[] {
  const out: { contract: string; fragment: ErrorFragment }[] = [];
  for (const [contract, iface] of Object.entries(LEDGER_INTERFACES) as [string, Interface][]) iface.forEachError((fragment) => out.push({ contract, fragment }));
  return out;
}

/** A plausible value for a parameter, so that every error can be encoded and rendered. */
function sample(p: ParamType): unknown {
  if (p.type === "address") return "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
  if (p.type === "bool") return true;
  if (p.type === "bytes32") return p.name.toLowerCase().includes("role") ? ROLE_IDS.REGULATOR : keccak256(toUtf8Bytes(p.name));
  if (p.type === "uint8") return 1n;
  if (p.type.startsWith("uint")) return 7n;
  throw new Error(`no sample for ${p.type}`);
}

// uint8 parameters that are plain numbers rather than enums.
const NUMERIC_UINT8 = new Set(["GrantDepthOverflow.depth", "GrantDepthOverflow.max", "AdmissionInvalidRating.level", "MarketCertificationTooLow.level", "MarketCertificationTooLow.required"]);

describe("drl: revert sentences", function () {
  it("has a sentence for every custom error of the ledger's contract ABIs, naming only real parameters", function () {
    const errors = abiErrors();
    const core = errors.filter((e) => ["MemberRegistry", "ResourceRegistry", "GrantRegistry"].includes(e.contract));
    expect(core.length).to.be.greaterThan(55);
    const missing = errors.filter((e) => ERROR_SENTENCES[e.fragment.name] === undefined).map((e) => `${e.contract}.${e.fragment.format("sighash")}`);
    expect(missing, `errors without a sentence in src/cli/errors.ts ERROR_SENTENCES: ${missing.join(", ")}`).to.deep.equal([]);
    for (const { contract, fragment } of errors) {
      const template = ERROR_SENTENCES[fragment.name]!;
      const names = fragment.inputs.map((i) => i.name);
      for (const { param, format } of placeholders(template)) {
        expect(names, `${contract}.${fragment.name}: {${param}} is not a parameter`).to.include(param);
        if (format !== undefined) expect(FORMATTERS, `${fragment.name}: unknown format ${format}`).to.have.property(format);
      }
      // An enum argument (uint8) must be shown by name, never as a bare number.
      for (const input of fragment.inputs) {
        if (input.type !== "uint8" || NUMERIC_UINT8.has(`${fragment.name}.${input.name}`)) continue;
        const ph = placeholders(template).find((x) => x.param === input.name);
        expect(ph?.format, `${fragment.name}.${input.name} (uint8) needs a format in its sentence`).to.be.a("string");
      }
      expect(template.trim().endsWith("."), `${fragment.name}: a sentence ends with a full stop`).to.equal(true);
    }
  });

  it("decodes every error from its revert data into its name, arguments and a sentence (never 'execution reverted')", function () {
    for (const { fragment } of abiErrors()) {
      const args = fragment.inputs.map(sample);
      const data = LEDGER_ERRORS.encodeErrorResult(fragment.name, args);
      const r = decodeRevert(data);
      expect(r.name).to.equal(fragment.name);
      expect(r.sentence).to.not.match(/\{|\}|execution reverted|undefined|NaN/);
      expect(Object.keys(r.args)).to.deep.equal(fragment.inputs.map((i) => i.name));
    }
    const missing = decodeRevert(LEDGER_ERRORS.encodeErrorResult("MemberMissingRole", ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8", ROLE_IDS.REGULATOR]));
    expect(missing.sentence).to.equal("0x70997970C51812dc3A010C7d01b50e0d17dc79C8 is an active member but lacks the REGULATOR role this action needs.");
    expect(missing.args).to.deep.equal({ account: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", role: "REGULATOR" });
    const mismatch = decodeRevert(LEDGER_ERRORS.encodeErrorResult("ResourceOpenClassMismatch", [Category.Public, OpenClass.NotApplicable]));
    expect(mismatch.args).to.deep.equal({ category: "Public", openClass: "NotApplicable" });
    expect(mismatch.sentence).to.match(/^Open class NotApplicable does not fit category Public/);
  });

  it("decodes Solidity's built-in errors, empty and unknown revert data", function () {
    const coder = AbiCoder.defaultAbiCoder();
    expect(decodeRevert("0x08c379a0" + coder.encode(["string"], ["nope"]).slice(2)).sentence).to.equal("The contract refused: nope.");
    expect(decodeRevert("0x4e487b71" + coder.encode(["uint256"], [0x11]).slice(2)).sentence).to.match(/panic 0x11: an arithmetic operation overflowed/);
    expect(decodeRevert("0x").name).to.equal("Empty");
    expect(decodeRevert(undefined).name).to.equal("Empty");
    expect(decodeRevert("0xdeadbeef").name).to.equal("Unknown");
    expect(renderSentence("{a} and {b:time}", { a: "x", b: 0n })).to.equal("x and 1970-01-01T00:00:00Z (0)");
  });
});

describe("drl: argument parsing and signing", function () {
  it("reads hashes given as text, file or hash, exactly one way", async function () {
    expect(await hashArg({ reason: "late" }, "reason")).to.equal(keccak256(toUtf8Bytes("late")));
    expect(await hashArg({ "reason-hash": "0x" + "ab".repeat(32) }, "reason")).to.equal("0x" + "ab".repeat(32));
    expect(await hashArg({ "reason-file": "package.json" }, "reason")).to.match(/^0x[0-9a-f]{64}$/);
    await hashArg({}, "reason").then(() => expect.fail(), (e: Error) => expect(e.name).to.equal("UsageError"));
    await hashArg({ reason: "a", "reason-hash": "0x" + "00".repeat(32) }, "reason").then(() => expect.fail(), (e: Error) => expect(e.message).to.match(/only one/));
    await hashArg({ "reason-hash": "0x1234" }, "reason").then(() => expect.fail(), (e: Error) => expect(e.message).to.match(/32-byte/));
  });

  it("parses purposes, times, enums and roles", function () {
    expect(parsePurposes("0,1,5")).to.equal(0b100011);
    expect(parsePurposes("0x23")).to.equal(0x23);
    expect(parsePurposes("0b11")).to.equal(3);
    expect(() => parsePurposes("32")).to.throw(/out of range/);
    expect(parseTime("+7d", "--until", 1000n)).to.equal(1000n + 604800n);
    expect(parseTime("never", "--until", 0n, 0n, true)).to.equal(NO_EXPIRY);
    expect(parseTime("2027-01-31T00:00:00Z", "--until", 0n)).to.equal(BigInt(Date.UTC(2027, 0, 31) / 1000));
    expect(() => parseTime("tomorrow", "--until", 0n)).to.throw(/must be/);
    expect(parseEnum(Category, "public", "category")).to.equal(Category.Public);
    expect(parseEnum(OpenClass, "not-applicable", "openClass")).to.equal(OpenClass.NotApplicable);
    expect(() => parseEnum(Category, "Secret", "category")).to.throw(/unknown category "Secret"/);
    expect(parseRoles("holder, PROCESSOR")).to.deep.equal([ROLE_IDS.HOLDER, ROLE_IDS.PROCESSOR]);
  });

  it("parses RFC 4180 CSV: quotes, commas and newlines in fields, CRLF, line numbers", function () {
    const rows = parseCsv('a,b\r\n"x, y","say ""hi"""\n\n"multi\nline",z\n');
    expect(rows).to.deep.equal([
      { line: 1, fields: ["a", "b"] },
      { line: 2, fields: ["x, y", 'say "hi"'] },
      { line: 4, fields: ["multi\nline", "z"] },
    ]);
  });

  it("signs exactly as ethers' Transaction does (EIP-1559 and legacy), and raises fees for a replacement", function () {
    const pk = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";
    const key = new SigningKey(pk);
    for (const data of ["0x" + "ab".repeat(200), "0x", "0x7f", "0x80", "0x" + "cd".repeat(55), "0x" + "ef".repeat(56), "0x" + "01".repeat(300)]) {
      for (const fees of [
        { type: 2 as const, maxFeePerGas: 2_000_000_000n, maxPriorityFeePerGas: 0n },
        { type: 2 as const, maxFeePerGas: 3n ** 30n, maxPriorityFeePerGas: 1_000n },
        { type: 0 as const, gasPrice: 0n },
        { type: 0 as const, gasPrice: 10n ** 9n },
      ]) {
        const signer = new TxSigner(pk, 31337n, fees);
        for (const nonce of [0, 1, 127, 128, 256, 70_000]) {
          const mine = signer.sign(nonce, { to: "0x5FbDB2315678afecb367f032d93F642f64180aa3", data, gas: 140_850n });
          const tx = Transaction.from({
            type: fees.type,
            chainId: 31337n,
            nonce,
            to: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
            data,
            gasLimit: 140_850n,
            value: 0n,
            ...(fees.type === 2 ? { maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas } : { gasPrice: fees.gasPrice }),
          });
          tx.signature = key.sign(tx.unsignedHash);
          expect(mine.raw).to.equal(tx.serialized);
          expect(mine.hash).to.equal(tx.hash);
          expect(Transaction.from(mine.raw).from).to.equal(Transaction.from(tx.serialized).from);
        }
      }
    }
    expect(bumpFees({ type: 2, maxFeePerGas: 100n, maxPriorityFeePerGas: 0n }, 2)).to.deep.equal({ type: 2, maxFeePerGas: 146n, maxPriorityFeePerGas: 2n });
  });
});
