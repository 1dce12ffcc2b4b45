import { expect } from "chai";
import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { ZeroAddress, ZeroHash, type BaseContract } from "ethers";
import { ethers, h, ledgerFixture, networkHelpers, OBJECTION_WINDOW, ROLES, type LedgerFixture } from "../helpers/fixtures.js";
import { addressesOf, type Addresses } from "../helpers/accounts.js";
import { Action, Category, Grade, MemberStatus, OpenClass, ResourceKind, ResourceStatus, Domain } from "../helpers/enums.js";
import { ledgerKey, payloadHash, resourceKey, seqOf } from "../helpers/trace.js";
import { registerArgs, registerInput, type RegisterInput } from "../helpers/resources.js";

const MAX_URI = 512n;
const MAX_WINDOW = 365n * 24n * 3600n;
const TERMS = h("terms");
const REASON = h("reason");
const EVIDENCE = h("evidence");
const UNKNOWN_ID = 99n;

describe("ResourceRegistry", function () {
  let fx: LedgerFixture;
  let a: Addresses;
  /** Resource 1 of the fixture, held by `holder`. */
  const R = 1n;

  beforeEach(async function () {
    fx = await ledgerFixture();
    a = await addressesOf(fx);
  });

  // ==== HELPERS ====

  /** Everything ResourceRegistry stores that a write may change, as a comparable string. */
  const state = async (): Promise<string> => {
    const count = await fx.resources.resourceCount();
    const perResource = [];
    for (let id = 1n; id <= count; ++id) {
      perResource.push([
        [...(await fx.resources.getResource(id))],
        [...(await fx.resources.getObjectionState(id))],
        await fx.resources.traceWord(resourceKey(id)),
      ]);
    }
    const ledgerWord = await fx.resources.traceWord(ledgerKey(await fx.resources.getAddress()));
    return JSON.stringify([count, await fx.resources.objectionWindow(), ledgerWord, perResource], (_k, v: unknown) =>
      typeof v === "bigint" ? v.toString() : v,
    );
  };

  /** Sends `send()`, expects it to revert with `name(args)` declared by `by`, and checks nothing was written. */
  const refused = async (send: () => Promise<unknown>, by: BaseContract, name: string, ...args: unknown[]): Promise<void> => {
    const before = await state();
    await expect(send()).to.be.revertedWithCustomError(by, name).withArgs(...args);
    expect(await state()).to.equal(before, "a reverted call changed the registry's state");
  };

  const nextSeq = async (id: bigint): Promise<bigint> => seqOf(await fx.resources.traceWord(resourceKey(id))) + 1n;

  const status = async (id: bigint): Promise<bigint> => (await fx.resources.getResource(id)).status;

  /** Registers a resource as `holder` and returns its id. */
  const register = async (overrides: Partial<RegisterInput> = {}): Promise<bigint> => {
    const args = registerArgs(registerInput(overrides));
    const id = await fx.resources.connect(fx.holder).register.staticCall(...args);
    await (await fx.resources.connect(fx.holder).register(...args)).wait();
    return id;
  };

  /** Files an objection on resource `id` as `who` (processor by default) and returns its id. */
  const object = async (id: bigint = R, who = fx.processor, evidence = EVIDENCE): Promise<bigint> => {
    const oid = await fx.resources.connect(who).object.staticCall(id, evidence);
    await (await fx.resources.connect(who).object(id, evidence)).wait();
    return oid;
  };

  const freeze = async (id: bigint = R): Promise<void> => {
    await (await fx.resources.connect(fx.regulator).freeze(id, REASON)).wait();
  };

  const cancel = async (id: bigint = R): Promise<void> => {
    await (await fx.resources.connect(fx.holder).cancel(id, REASON)).wait();
  };

  // ==== TESTS ====

  describe("constructor", function () {
    it("reverts with ResourceInvalidObjectionWindow when the window is zero or above 365 days", async function () {
      const factory = await ethers.getContractFactory("ResourceRegistry");
      const members = await fx.members.getAddress();
      await expect(ethers.deployContract("ResourceRegistry", [members, 0]))
        .to.be.revertedWithCustomError(factory, "ResourceInvalidObjectionWindow")
        .withArgs(0n, MAX_WINDOW);
      await expect(ethers.deployContract("ResourceRegistry", [members, MAX_WINDOW + 1n]))
        .to.be.revertedWithCustomError(factory, "ResourceInvalidObjectionWindow")
        .withArgs(MAX_WINDOW + 1n, MAX_WINDOW);
    });

    it("reverts with MemberGatedZeroRegistry when the member registry is the zero address", async function () {
      const factory = await ethers.getContractFactory("ResourceRegistry");
      await expect(ethers.deployContract("ResourceRegistry", [ZeroAddress, OBJECTION_WINDOW]))
        .to.be.revertedWithCustomError(factory, "MemberGatedZeroRegistry")
        .withArgs();
    });
  });

  describe("register", function () {
    it("registers a resource held by the caller and emits ResourceRegistered", async function () {
      const input = registerInput({ kind: ResourceKind.Model, grade: Grade.Important, domain: Domain.Finance });
      const seq = await nextSeq(2n);
      expect(await fx.resources.connect(fx.holder2).register.staticCall(...registerArgs(input))).to.equal(2n);
      const tx = fx.resources.connect(fx.holder2).register(...registerArgs(input));
      await expect(tx)
        .to.emit(fx.resources, "ResourceRegistered")
        .withArgs(2n, a.holder2, input.kind, input.category, input.grade, input.domain, input.openClass, input.catalogueHash, input.catalogueUri);
      await expect(tx)
        .to.emit(fx.resources, "TraceRecorded")
        .withArgs(
          resourceKey(2n),
          seq,
          Action.RESOURCE_REGISTERED,
          a.holder2,
          payloadHash(
            ["uint64", "address", "uint8", "uint8", "uint8", "uint8", "uint8", "bytes32", "string"],
            [2n, a.holder2, input.kind, input.category, input.grade, input.domain, input.openClass, input.catalogueHash, input.catalogueUri],
          ),
          anyValue,
        );
      const r = await fx.resources.getResource(2n);
      expect(r.holder).to.equal(a.holder2);
      expect(r.registeredAt).to.equal(BigInt(await networkHelpers.time.latest()));
      expect([r.kind, r.category, r.grade, r.domain, r.openClass]).to.deep.equal([
        BigInt(input.kind),
        BigInt(input.category),
        BigInt(input.grade),
        BigInt(input.domain),
        BigInt(input.openClass),
      ]);
      expect(r.status).to.equal(ResourceStatus.Active);
      expect(r.frozen).to.equal(false);
      expect(await fx.resources.resourceCount()).to.equal(2n);
      const [open, objections, version] = await fx.resources.getObjectionState(2n);
      expect([open, objections, version]).to.deep.equal([0n, 0n, 1n]);
    });

    it("numbers resources 1, 2, 3, ...", async function () {
      expect(await register()).to.equal(2n);
      expect(await register()).to.equal(3n);
      expect(await fx.resources.resourceCount()).to.equal(3n);
    });

    it("registers public data with an open class", async function () {
      for (const openClass of [OpenClass.Unconditional, OpenClass.Conditional, OpenClass.NotOpen]) {
        const id = await register({ category: Category.Public, openClass });
        expect((await fx.resources.getResource(id)).openClass).to.equal(openClass);
      }
    });

    it("registers core-grade data", async function () {
      const id = await register({ grade: Grade.Core });
      expect((await fx.resources.getResource(id)).grade).to.equal(Grade.Core);
    });

    it("accepts a catalogue URI of exactly 512 bytes", async function () {
      const id = await register({ catalogueUri: "u".repeat(512) });
      expect(id).to.equal(2n);
    });

    it("reverts with ResourceOpenClassMismatch when public data has no open class", async function () {
      await refused(
        () => fx.resources.connect(fx.holder).register(...registerArgs(registerInput({ category: Category.Public, openClass: OpenClass.NotApplicable }))),
        fx.resources,
        "ResourceOpenClassMismatch",
        Category.Public,
        OpenClass.NotApplicable,
      );
    });

    it("reverts with ResourceOpenClassMismatch when non-public data has an open class", async function () {
      await refused(
        () => fx.resources.connect(fx.holder).register(...registerArgs(registerInput({ category: Category.Enterprise, openClass: OpenClass.Unconditional }))),
        fx.resources,
        "ResourceOpenClassMismatch",
        Category.Enterprise,
        OpenClass.Unconditional,
      );
      await refused(
        () => fx.resources.connect(fx.holder).register(...registerArgs(registerInput({ category: Category.Personal, openClass: OpenClass.NotOpen }))),
        fx.resources,
        "ResourceOpenClassMismatch",
        Category.Personal,
        OpenClass.NotOpen,
      );
    });

    it("reverts with ResourceEmptyHash when the catalogue hash is zero", async function () {
      await refused(
        () => fx.resources.connect(fx.holder).register(...registerArgs(registerInput({ catalogueHash: ZeroHash }))),
        fx.resources,
        "ResourceEmptyHash",
      );
    });

    it("reverts with ResourceInvalidUri when the URI is empty", async function () {
      await refused(
        () => fx.resources.connect(fx.holder).register(...registerArgs(registerInput({ catalogueUri: "" }))),
        fx.resources,
        "ResourceInvalidUri",
        0n,
        MAX_URI,
      );
    });

    it("reverts with ResourceInvalidUri when the URI is longer than 512 bytes", async function () {
      await refused(
        () => fx.resources.connect(fx.holder).register(...registerArgs(registerInput({ catalogueUri: "u".repeat(513) }))),
        fx.resources,
        "ResourceInvalidUri",
        513n,
        MAX_URI,
      );
      // Length is in bytes, not characters: 171 three-byte characters are 513 bytes.
      await refused(
        () => fx.resources.connect(fx.holder).register(...registerArgs(registerInput({ catalogueUri: "数".repeat(171) }))),
        fx.resources,
        "ResourceInvalidUri",
        513n,
        MAX_URI,
      );
    });

    it("reverts with MemberMissingRole when the caller is not a holder", async function () {
      await refused(() => fx.resources.connect(fx.processor).register(...registerArgs()), fx.members, "MemberMissingRole", a.processor, ROLES.HOLDER);
    });

    it("reverts with MemberNotActive when the caller is suspended (although it holds HOLDER) or not a member", async function () {
      await refused(() => fx.resources.connect(fx.suspended).register(...registerArgs()), fx.members, "MemberNotActive", a.suspended, MemberStatus.Suspended);
      await refused(() => fx.resources.connect(fx.outsider).register(...registerArgs()), fx.members, "MemberNotActive", a.outsider, MemberStatus.None);
    });

    it("is refused at once after the holder's suspension and allowed again after reinstatement", async function () {
      await (await fx.members.connect(fx.regulator).suspend(a.holder, REASON)).wait();
      await refused(() => fx.resources.connect(fx.holder).register(...registerArgs()), fx.members, "MemberNotActive", a.holder, MemberStatus.Suspended);
      await (await fx.members.reinstate(a.holder, REASON)).wait();
      expect(await register()).to.equal(2n);
    });
  });

  describe("transfer", function () {
    it("moves the holding right to another active holder and emits ResourceTransferred", async function () {
      const seq = await nextSeq(R);
      const tx = fx.resources.connect(fx.holder).transfer(R, a.holder2, TERMS);
      await expect(tx).to.emit(fx.resources, "ResourceTransferred").withArgs(R, a.holder, a.holder2, TERMS);
      await expect(tx)
        .to.emit(fx.resources, "TraceRecorded")
        .withArgs(
          resourceKey(R),
          seq,
          Action.RESOURCE_TRANSFERRED,
          a.holder,
          payloadHash(["uint64", "address", "address", "bytes32"], [R, a.holder, a.holder2, TERMS]),
          anyValue,
        );
      expect((await fx.resources.getResource(R)).holder).to.equal(a.holder2);
      expect((await fx.resources.subjectState(R)).holder).to.equal(a.holder2);
    });

    it("makes the recipient the one holder: the old holder is refused, the new one may change and transfer back", async function () {
      await (await fx.resources.connect(fx.holder).transfer(R, a.holder2, TERMS)).wait();
      await refused(() => fx.resources.connect(fx.holder).transfer(R, a.holder2, TERMS), fx.resources, "ResourceNotHolder", R, a.holder);
      await refused(() => fx.resources.connect(fx.holder).change(R, h("c2"), "ipfs://c2"), fx.resources, "ResourceNotHolder", R, a.holder);
      await expect(fx.resources.connect(fx.holder2).change(R, h("c2"), "ipfs://c2")).to.emit(fx.resources, "ResourceChanged").withArgs(R, 2n, h("c2"), "ipfs://c2");
      await expect(fx.resources.connect(fx.holder2).transfer(R, a.holder, TERMS)).to.emit(fx.resources, "ResourceTransferred").withArgs(R, a.holder2, a.holder, TERMS);
    });

    it("reverts with ResourceNotHolder when the caller is a holder but not this resource's", async function () {
      await refused(() => fx.resources.connect(fx.holder2).transfer(R, a.holder2, TERMS), fx.resources, "ResourceNotHolder", R, a.holder2);
    });

    it("reverts with MemberMissingRole when the resource's holder has lost the HOLDER role", async function () {
      await (await fx.members.revokeRole(ROLES.HOLDER, a.holder)).wait();
      await refused(() => fx.resources.connect(fx.holder).transfer(R, a.holder2, TERMS), fx.members, "MemberMissingRole", a.holder, ROLES.HOLDER);
    });

    it("reverts with MemberNotActive when the resource's holder is suspended", async function () {
      await (await fx.members.suspend(a.holder, REASON)).wait();
      await refused(() => fx.resources.connect(fx.holder).transfer(R, a.holder2, TERMS), fx.members, "MemberNotActive", a.holder, MemberStatus.Suspended);
    });

    it("reverts with ResourceIsCancelled when the resource is cancelled", async function () {
      await cancel();
      await refused(() => fx.resources.connect(fx.holder).transfer(R, a.holder2, TERMS), fx.resources, "ResourceIsCancelled", R);
    });

    it("reverts with ResourceUnderObjection naming the number of open objections", async function () {
      await object(R, fx.processor);
      await refused(() => fx.resources.connect(fx.holder).transfer(R, a.holder2, TERMS), fx.resources, "ResourceUnderObjection", R, 1n);
      await object(R, fx.operator);
      await refused(() => fx.resources.connect(fx.holder).transfer(R, a.holder2, TERMS), fx.resources, "ResourceUnderObjection", R, 2n);
    });

    it("reverts with ResourceIsFrozen when the resource is frozen", async function () {
      await freeze();
      await refused(() => fx.resources.connect(fx.holder).transfer(R, a.holder2, TERMS), fx.resources, "ResourceIsFrozen", R);
    });

    it("reverts with ResourceCoreGrade when the resource is core-grade data", async function () {
      const id = await register({ grade: Grade.Core });
      await refused(() => fx.resources.connect(fx.holder).transfer(id, a.holder2, TERMS), fx.resources, "ResourceCoreGrade", id);
    });

    it("reverts with ResourceEmptyHash when the terms hash is zero", async function () {
      await refused(() => fx.resources.connect(fx.holder).transfer(R, a.holder2, ZeroHash), fx.resources, "ResourceEmptyHash");
    });

    it("reverts with ResourceInvalidRecipient when the recipient is the caller", async function () {
      await refused(() => fx.resources.connect(fx.holder).transfer(R, a.holder, TERMS), fx.resources, "ResourceInvalidRecipient", R, a.holder);
    });

    it("reverts with ResourceInvalidRecipient when the recipient is not a holder", async function () {
      await refused(() => fx.resources.connect(fx.holder).transfer(R, a.processor, TERMS), fx.resources, "ResourceInvalidRecipient", R, a.processor);
    });

    it("reverts with ResourceInvalidRecipient when the recipient is a suspended holder", async function () {
      await refused(() => fx.resources.connect(fx.holder).transfer(R, a.suspended, TERMS), fx.resources, "ResourceInvalidRecipient", R, a.suspended);
    });

    it("reverts with ResourceInvalidRecipient when the recipient is not a member or the zero address", async function () {
      await refused(() => fx.resources.connect(fx.holder).transfer(R, a.outsider, TERMS), fx.resources, "ResourceInvalidRecipient", R, a.outsider);
      await refused(() => fx.resources.connect(fx.holder).transfer(R, ZeroAddress, TERMS), fx.resources, "ResourceInvalidRecipient", R, ZeroAddress);
    });

    it("reverts with ResourceUnknown when the resource does not exist", async function () {
      await refused(() => fx.resources.connect(fx.holder).transfer(UNKNOWN_ID, a.holder2, TERMS), fx.resources, "ResourceUnknown", UNKNOWN_ID);
      await refused(() => fx.resources.connect(fx.holder).transfer(0n, a.holder2, TERMS), fx.resources, "ResourceUnknown", 0n);
    });
  });

  describe("change", function () {
    it("registers catalogue versions 2, 3, ... and emits ResourceChanged", async function () {
      expect((await fx.resources.getObjectionState(R)).version).to.equal(1n);
      for (const version of [2n, 3n, 4n]) {
        const hash = h(`catalogue:v${version}`);
        const uri = `ipfs://catalogue/1/v${version}`;
        expect(await fx.resources.connect(fx.holder).change.staticCall(R, hash, uri)).to.equal(version);
        const seq = await nextSeq(R);
        const tx = fx.resources.connect(fx.holder).change(R, hash, uri);
        await expect(tx).to.emit(fx.resources, "ResourceChanged").withArgs(R, version, hash, uri);
        await expect(tx)
          .to.emit(fx.resources, "TraceRecorded")
          .withArgs(resourceKey(R), seq, Action.RESOURCE_CHANGED, a.holder, payloadHash(["uint64", "uint32", "bytes32", "string"], [R, version, hash, uri]), anyValue);
        expect((await fx.resources.getObjectionState(R)).version).to.equal(version);
      }
    });

    it("keeps version numbers per resource", async function () {
      const id = await register();
      await (await fx.resources.connect(fx.holder).change(R, h("c"), "ipfs://c")).wait();
      expect(await fx.resources.connect(fx.holder).change.staticCall(id, h("c"), "ipfs://c")).to.equal(2n);
      expect(await fx.resources.connect(fx.holder).change.staticCall(R, h("c"), "ipfs://c")).to.equal(3n);
    });

    it("reverts with ResourceNotHolder when the caller is not the holder", async function () {
      await refused(() => fx.resources.connect(fx.holder2).change(R, h("c"), "ipfs://c"), fx.resources, "ResourceNotHolder", R, a.holder2);
    });

    it("reverts with ResourceIsCancelled when the resource is cancelled", async function () {
      await cancel();
      await refused(() => fx.resources.connect(fx.holder).change(R, h("c"), "ipfs://c"), fx.resources, "ResourceIsCancelled", R);
    });

    it("reverts with ResourceIsFrozen when the resource is frozen", async function () {
      await freeze();
      await refused(() => fx.resources.connect(fx.holder).change(R, h("c"), "ipfs://c"), fx.resources, "ResourceIsFrozen", R);
    });

    it("reverts with ResourceEmptyHash when the catalogue hash is zero", async function () {
      await refused(() => fx.resources.connect(fx.holder).change(R, ZeroHash, "ipfs://c"), fx.resources, "ResourceEmptyHash");
    });

    it("reverts with ResourceInvalidUri when the URI is empty or too long", async function () {
      await refused(() => fx.resources.connect(fx.holder).change(R, h("c"), ""), fx.resources, "ResourceInvalidUri", 0n, MAX_URI);
      await refused(() => fx.resources.connect(fx.holder).change(R, h("c"), "u".repeat(600)), fx.resources, "ResourceInvalidUri", 600n, MAX_URI);
    });

    it("reverts with MemberMissingRole when the caller is not a holder", async function () {
      await refused(() => fx.resources.connect(fx.regulator).change(R, h("c"), "ipfs://c"), fx.members, "MemberMissingRole", a.regulator, ROLES.HOLDER);
    });

    it("reverts with ResourceUnknown when the resource does not exist", async function () {
      await refused(() => fx.resources.connect(fx.holder).change(UNKNOWN_ID, h("c"), "ipfs://c"), fx.resources, "ResourceUnknown", UNKNOWN_ID);
    });
  });

  describe("cancel", function () {
    it("cancels the resource and emits ResourceCancelled", async function () {
      const seq = await nextSeq(R);
      const tx = fx.resources.connect(fx.holder).cancel(R, REASON);
      await expect(tx).to.emit(fx.resources, "ResourceCancelled").withArgs(R, a.holder, REASON);
      await expect(tx)
        .to.emit(fx.resources, "TraceRecorded")
        .withArgs(resourceKey(R), seq, Action.RESOURCE_CANCELLED, a.holder, payloadHash(["uint64", "address", "bytes32"], [R, a.holder, REASON]), anyValue);
      expect(await status(R)).to.equal(ResourceStatus.Cancelled);
      expect((await fx.resources.subjectState(R)).cancelled).to.equal(true);
    });

    it("is final: a cancelled resource refuses transfer, change, cancel and objections", async function () {
      await cancel();
      await refused(() => fx.resources.connect(fx.holder).transfer(R, a.holder2, TERMS), fx.resources, "ResourceIsCancelled", R);
      await refused(() => fx.resources.connect(fx.holder).change(R, h("c"), "ipfs://c"), fx.resources, "ResourceIsCancelled", R);
      await refused(() => fx.resources.connect(fx.holder).cancel(R, REASON), fx.resources, "ResourceIsCancelled", R);
      await refused(() => fx.resources.connect(fx.processor).object(R, EVIDENCE), fx.resources, "ResourceIsCancelled", R);
    });

    it("reverts with ResourceNotHolder when the caller is not the holder", async function () {
      await refused(() => fx.resources.connect(fx.holder2).cancel(R, REASON), fx.resources, "ResourceNotHolder", R, a.holder2);
    });

    it("reverts with ResourceIsFrozen when the resource is frozen", async function () {
      await freeze();
      await refused(() => fx.resources.connect(fx.holder).cancel(R, REASON), fx.resources, "ResourceIsFrozen", R);
    });

    it("reverts with ResourceEmptyHash when the reason is zero", async function () {
      await refused(() => fx.resources.connect(fx.holder).cancel(R, ZeroHash), fx.resources, "ResourceEmptyHash");
    });

    it("reverts with MemberMissingRole when the caller is not a holder", async function () {
      await refused(() => fx.resources.connect(fx.regulator).cancel(R, REASON), fx.members, "MemberMissingRole", a.regulator, ROLES.HOLDER);
    });

    it("reverts with ResourceUnknown when the resource does not exist", async function () {
      await refused(() => fx.resources.connect(fx.holder).cancel(UNKNOWN_ID, REASON), fx.resources, "ResourceUnknown", UNKNOWN_ID);
    });
  });

  describe("object", function () {
    it("files objection 1, puts the resource under objection and emits ObjectionFiled", async function () {
      expect(await fx.resources.connect(fx.processor).object.staticCall(R, EVIDENCE)).to.equal(1n);
      const seq = await nextSeq(R);
      const tx = fx.resources.connect(fx.processor).object(R, EVIDENCE);
      await expect(tx).to.emit(fx.resources, "ObjectionFiled").withArgs(R, 1n, a.processor, EVIDENCE);
      await expect(tx)
        .to.emit(fx.resources, "TraceRecorded")
        .withArgs(
          resourceKey(R),
          seq,
          Action.OBJECTION_FILED,
          a.processor,
          payloadHash(["uint64", "uint32", "address", "bytes32"], [R, 1n, a.processor, EVIDENCE]),
          anyValue,
        );
      expect(await status(R)).to.equal(ResourceStatus.UnderObjection);
      expect((await fx.resources.subjectState(R)).underObjection).to.equal(true);
      const [open, objections] = await fx.resources.getObjectionState(R);
      expect([open, objections]).to.deep.equal([1n, 1n]);
    });

    it("numbers objections 1, 2, 3 on a resource, from any active member but its holder", async function () {
      expect(await object(R, fx.processor)).to.equal(1n);
      expect(await object(R, fx.regulator)).to.equal(2n);
      expect(await object(R, fx.holder2)).to.equal(3n);
      const [open, objections] = await fx.resources.getObjectionState(R);
      expect([open, objections]).to.deep.equal([3n, 3n]);
    });

    it("reverts with ResourceSelfObjection when the holder objects to its own resource", async function () {
      await refused(() => fx.resources.connect(fx.holder).object(R, EVIDENCE), fx.resources, "ResourceSelfObjection", R);
    });

    it("reverts with ResourceIsCancelled when the resource is cancelled", async function () {
      await cancel();
      await refused(() => fx.resources.connect(fx.processor).object(R, EVIDENCE), fx.resources, "ResourceIsCancelled", R);
    });

    it("reverts with ResourceEmptyHash when the evidence hash is zero", async function () {
      await refused(() => fx.resources.connect(fx.processor).object(R, ZeroHash), fx.resources, "ResourceEmptyHash");
    });

    it("accepts an objection in the last second of the window (registeredAt + window - 1)", async function () {
      const closesAt = (await fx.resources.getResource(R)).registeredAt + BigInt(OBJECTION_WINDOW);
      await networkHelpers.time.setNextBlockTimestamp(closesAt - 1n);
      await expect(fx.resources.connect(fx.processor).object(R, EVIDENCE)).to.emit(fx.resources, "ObjectionFiled").withArgs(R, 1n, a.processor, EVIDENCE);
      expect(await networkHelpers.time.latest()).to.equal(Number(closesAt - 1n));
    });

    it("reverts with ResourceObjectionWindowClosed at exactly registeredAt + window", async function () {
      const closesAt = (await fx.resources.getResource(R)).registeredAt + BigInt(OBJECTION_WINDOW);
      await networkHelpers.time.setNextBlockTimestamp(closesAt);
      await refused(() => fx.resources.connect(fx.processor).object(R, EVIDENCE), fx.resources, "ResourceObjectionWindowClosed", R, closesAt);
    });

    it("reverts with ResourceObjectionWindowClosed once the window has passed", async function () {
      const closesAt = (await fx.resources.getResource(R)).registeredAt + BigInt(OBJECTION_WINDOW);
      await networkHelpers.time.increase(OBJECTION_WINDOW + 3600);
      await refused(() => fx.resources.connect(fx.processor).object(R, EVIDENCE), fx.resources, "ResourceObjectionWindowClosed", R, closesAt);
    });

    it("reverts with MemberNotActive when the caller is suspended or not a member", async function () {
      await refused(() => fx.resources.connect(fx.suspended).object(R, EVIDENCE), fx.members, "MemberNotActive", a.suspended, MemberStatus.Suspended);
      await refused(() => fx.resources.connect(fx.outsider).object(R, EVIDENCE), fx.members, "MemberNotActive", a.outsider, MemberStatus.None);
    });

    it("reverts with ResourceUnknown when the resource does not exist", async function () {
      await refused(() => fx.resources.connect(fx.processor).object(UNKNOWN_ID, EVIDENCE), fx.resources, "ResourceUnknown", UNKNOWN_ID);
    });
  });

  describe("resolveObjection", function () {
    it("dismisses the only objection: the resource is active again and emits ObjectionResolved", async function () {
      const oid = await object();
      const seq = await nextSeq(R);
      const tx = fx.resources.connect(fx.regulator).resolveObjection(R, oid, false, REASON);
      await expect(tx).to.emit(fx.resources, "ObjectionResolved").withArgs(R, oid, a.regulator, false, REASON);
      await expect(tx)
        .to.emit(fx.resources, "TraceRecorded")
        .withArgs(
          resourceKey(R),
          seq,
          Action.OBJECTION_RESOLVED,
          a.regulator,
          payloadHash(["uint64", "uint32", "address", "bool", "bytes32"], [R, oid, a.regulator, false, REASON]),
          anyValue,
        );
      await expect(tx).not.to.emit(fx.resources, "ResourceCancelled");
      expect(await status(R)).to.equal(ResourceStatus.Active);
      // It circulates again.
      await expect(fx.resources.connect(fx.holder).transfer(R, a.holder2, TERMS)).to.emit(fx.resources, "ResourceTransferred");
    });

    it("upholds an objection: the resource is cancelled, with ObjectionResolved then ResourceCancelled", async function () {
      const oid = await object();
      const seq = await nextSeq(R);
      const tx = fx.resources.connect(fx.regulator).resolveObjection(R, oid, true, REASON);
      await expect(tx).to.emit(fx.resources, "ObjectionResolved").withArgs(R, oid, a.regulator, true, REASON);
      await expect(tx).to.emit(fx.resources, "ResourceCancelled").withArgs(R, a.regulator, REASON);
      await expect(tx)
        .to.emit(fx.resources, "TraceRecorded")
        .withArgs(resourceKey(R), seq + 1n, Action.RESOURCE_CANCELLED, a.regulator, payloadHash(["uint64", "address", "bytes32"], [R, a.regulator, REASON]), anyValue);
      expect(await status(R)).to.equal(ResourceStatus.Cancelled);
    });

    it("keeps the resource under objection until the last of several objections is dismissed", async function () {
      const o1 = await object(R, fx.processor);
      const o2 = await object(R, fx.operator);
      await (await fx.resources.connect(fx.regulator).resolveObjection(R, o2, false, REASON)).wait();
      expect(await status(R)).to.equal(ResourceStatus.UnderObjection);
      expect((await fx.resources.getObjectionState(R)).openObjections).to.equal(1n);
      await refused(() => fx.resources.connect(fx.holder).transfer(R, a.holder2, TERMS), fx.resources, "ResourceUnderObjection", R, 1n);
      await (await fx.resources.connect(fx.regulator).resolveObjection(R, o1, false, REASON)).wait();
      expect(await status(R)).to.equal(ResourceStatus.Active);
      const [open, objections] = await fx.resources.getObjectionState(R);
      expect([open, objections]).to.deep.equal([0n, 2n]);
    });

    it("cancels on an upheld objection while others are open; the others can still be resolved", async function () {
      const o1 = await object(R, fx.processor);
      const o2 = await object(R, fx.operator);
      await (await fx.resources.connect(fx.regulator).resolveObjection(R, o1, true, REASON)).wait();
      expect(await status(R)).to.equal(ResourceStatus.Cancelled);
      const tx = fx.resources.connect(fx.regulator).resolveObjection(R, o2, true, h("reason:2"));
      await expect(tx).to.emit(fx.resources, "ObjectionResolved").withArgs(R, o2, a.regulator, true, h("reason:2"));
      await expect(tx).not.to.emit(fx.resources, "ResourceCancelled");
      expect(await status(R)).to.equal(ResourceStatus.Cancelled);
      expect((await fx.resources.getObjectionState(R)).openObjections).to.equal(0n);
    });

    it("reverts with ResourceObjectionNotOpen when the objection does not exist", async function () {
      await object();
      await refused(() => fx.resources.connect(fx.regulator).resolveObjection(R, 2n, false, REASON), fx.resources, "ResourceObjectionNotOpen", R, 2n);
      await refused(() => fx.resources.connect(fx.regulator).resolveObjection(R, 0n, false, REASON), fx.resources, "ResourceObjectionNotOpen", R, 0n);
    });

    it("reverts with ResourceObjectionNotOpen when the objection is already resolved", async function () {
      const oid = await object();
      await (await fx.resources.connect(fx.regulator).resolveObjection(R, oid, false, REASON)).wait();
      await refused(() => fx.resources.connect(fx.regulator).resolveObjection(R, oid, true, REASON), fx.resources, "ResourceObjectionNotOpen", R, oid);
    });

    it("reverts with ResourceObjectionNotOpen when the objection belongs to another resource", async function () {
      const id = await register();
      await object(id);
      await refused(() => fx.resources.connect(fx.regulator).resolveObjection(R, 1n, false, REASON), fx.resources, "ResourceObjectionNotOpen", R, 1n);
    });

    it("reverts with ResourceEmptyHash when the reason is zero", async function () {
      const oid = await object();
      await refused(() => fx.resources.connect(fx.regulator).resolveObjection(R, oid, false, ZeroHash), fx.resources, "ResourceEmptyHash");
    });

    it("reverts with MemberMissingRole when the caller is not a regulator", async function () {
      const oid = await object();
      await refused(() => fx.resources.connect(fx.gov).resolveObjection(R, oid, false, REASON), fx.members, "MemberMissingRole", a.gov, ROLES.REGULATOR);
    });

    it("reverts with ResourceUnknown when the resource does not exist", async function () {
      await refused(() => fx.resources.connect(fx.regulator).resolveObjection(UNKNOWN_ID, 1n, false, REASON), fx.resources, "ResourceUnknown", UNKNOWN_ID);
    });
  });

  describe("freeze", function () {
    it("freezes the resource and emits ResourceFrozen", async function () {
      const seq = await nextSeq(R);
      const tx = fx.resources.connect(fx.regulator).freeze(R, REASON);
      await expect(tx).to.emit(fx.resources, "ResourceFrozen").withArgs(R, a.regulator, REASON);
      await expect(tx)
        .to.emit(fx.resources, "TraceRecorded")
        .withArgs(resourceKey(R), seq, Action.RESOURCE_FROZEN, a.regulator, payloadHash(["uint64", "address", "bytes32"], [R, a.regulator, REASON]), anyValue);
      expect((await fx.resources.getResource(R)).frozen).to.equal(true);
      expect((await fx.resources.subjectState(R)).frozen).to.equal(true);
    });

    it("reverts with ResourceIsFrozen when the resource is already frozen", async function () {
      await freeze();
      await refused(() => fx.resources.connect(fx.regulator).freeze(R, REASON), fx.resources, "ResourceIsFrozen", R);
    });

    it("reverts with ResourceEmptyHash when the reason is zero", async function () {
      await refused(() => fx.resources.connect(fx.regulator).freeze(R, ZeroHash), fx.resources, "ResourceEmptyHash");
    });

    it("reverts with MemberMissingRole when the caller is not a regulator", async function () {
      await refused(() => fx.resources.connect(fx.gov).freeze(R, REASON), fx.members, "MemberMissingRole", a.gov, ROLES.REGULATOR);
    });

    it("reverts with MemberNotActive when the regulator is suspended", async function () {
      await (await fx.members.suspend(a.regulator, REASON)).wait();
      await refused(() => fx.resources.connect(fx.regulator).freeze(R, REASON), fx.members, "MemberNotActive", a.regulator, MemberStatus.Suspended);
    });

    it("reverts with ResourceUnknown when the resource does not exist", async function () {
      await refused(() => fx.resources.connect(fx.regulator).freeze(UNKNOWN_ID, REASON), fx.resources, "ResourceUnknown", UNKNOWN_ID);
    });
  });

  describe("unfreeze", function () {
    it("unfreezes the resource, emits ResourceUnfrozen and restores the holder's writes", async function () {
      await freeze();
      const seq = await nextSeq(R);
      const tx = fx.resources.connect(fx.regulator).unfreeze(R, REASON);
      await expect(tx).to.emit(fx.resources, "ResourceUnfrozen").withArgs(R, a.regulator, REASON);
      await expect(tx)
        .to.emit(fx.resources, "TraceRecorded")
        .withArgs(resourceKey(R), seq, Action.RESOURCE_UNFROZEN, a.regulator, payloadHash(["uint64", "address", "bytes32"], [R, a.regulator, REASON]), anyValue);
      expect((await fx.resources.getResource(R)).frozen).to.equal(false);
      await expect(fx.resources.connect(fx.holder).change(R, h("c"), "ipfs://c")).to.emit(fx.resources, "ResourceChanged").withArgs(R, 2n, h("c"), "ipfs://c");
    });

    it("reverts with ResourceNotFrozen when the resource is not frozen", async function () {
      await refused(() => fx.resources.connect(fx.regulator).unfreeze(R, REASON), fx.resources, "ResourceNotFrozen", R);
    });

    it("reverts with ResourceEmptyHash when the reason is zero", async function () {
      await freeze();
      await refused(() => fx.resources.connect(fx.regulator).unfreeze(R, ZeroHash), fx.resources, "ResourceEmptyHash");
    });

    it("reverts with MemberMissingRole when the caller is not a regulator", async function () {
      await freeze();
      await refused(() => fx.resources.connect(fx.holder).unfreeze(R, REASON), fx.members, "MemberMissingRole", a.holder, ROLES.REGULATOR);
    });

    it("reverts with ResourceUnknown when the resource does not exist", async function () {
      await refused(() => fx.resources.connect(fx.regulator).unfreeze(UNKNOWN_ID, REASON), fx.resources, "ResourceUnknown", UNKNOWN_ID);
    });
  });

  describe("setObjectionWindow", function () {
    it("sets the window, emits ObjectionWindowSet and traces PARAMETER_SET on the ledger subject", async function () {
      const key = ledgerKey(await fx.resources.getAddress());
      const seq = seqOf(await fx.resources.traceWord(key)) + 1n;
      const tx = fx.resources.setObjectionWindow(3600);
      await expect(tx).to.emit(fx.resources, "ObjectionWindowSet").withArgs(3600n, a.gov);
      await expect(tx)
        .to.emit(fx.resources, "TraceRecorded")
        .withArgs(key, seq, Action.PARAMETER_SET, a.gov, payloadHash(["uint40", "address"], [3600n, a.gov]), anyValue);
      expect(await fx.resources.objectionWindow()).to.equal(3600n);
    });

    it("accepts the bounds 1 second and 365 days", async function () {
      await (await fx.resources.setObjectionWindow(1)).wait();
      expect(await fx.resources.objectionWindow()).to.equal(1n);
      await (await fx.resources.setObjectionWindow(MAX_WINDOW)).wait();
      expect(await fx.resources.objectionWindow()).to.equal(MAX_WINDOW);
    });

    it("applies to objections from then on", async function () {
      await (await fx.resources.setObjectionWindow(3600)).wait();
      const id = await register();
      const closesAt = (await fx.resources.getResource(id)).registeredAt + 3600n;
      await networkHelpers.time.setNextBlockTimestamp(closesAt);
      await refused(() => fx.resources.connect(fx.processor).object(id, EVIDENCE), fx.resources, "ResourceObjectionWindowClosed", id, closesAt);
    });

    it("reverts with ResourceInvalidObjectionWindow when the window is zero", async function () {
      await refused(() => fx.resources.setObjectionWindow(0), fx.resources, "ResourceInvalidObjectionWindow", 0n, MAX_WINDOW);
    });

    it("reverts with ResourceInvalidObjectionWindow when the window is longer than 365 days", async function () {
      await refused(() => fx.resources.setObjectionWindow(MAX_WINDOW + 1n), fx.resources, "ResourceInvalidObjectionWindow", MAX_WINDOW + 1n, MAX_WINDOW);
    });

    it("reverts with MemberMissingRole when the caller is not governance", async function () {
      await refused(() => fx.resources.connect(fx.regulator).setObjectionWindow(3600), fx.members, "MemberMissingRole", a.regulator, ROLES.GOVERNANCE);
    });
  });

  describe("getResource / getObjectionState", function () {
    it("reverts with ResourceUnknown for an id never registered", async function () {
      await expect(fx.resources.getResource(0n)).to.be.revertedWithCustomError(fx.resources, "ResourceUnknown").withArgs(0n);
      await expect(fx.resources.getResource(2n)).to.be.revertedWithCustomError(fx.resources, "ResourceUnknown").withArgs(2n);
      await expect(fx.resources.getObjectionState(UNKNOWN_ID)).to.be.revertedWithCustomError(fx.resources, "ResourceUnknown").withArgs(UNKNOWN_ID);
    });

    it("reports an unknown id as a non-existent subject", async function () {
      const s = await fx.resources.subjectState(UNKNOWN_ID);
      expect(s.exists).to.equal(false);
      expect(s.holder).to.equal(ZeroAddress);
    });
  });
});
