import { expect } from "chai";
import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { ZeroAddress, ZeroHash, dataSlice, getAddress } from "ethers";
import { ethers, h, ledgerFixture, ROLES, type LedgerFixture } from "../helpers/fixtures.js";
import { addressesOf, type Addresses } from "../helpers/accounts.js";
import { Action, MemberStatus } from "../helpers/enums.js";
import { memberKey, payloadHash, seqOf } from "../helpers/trace.js";
import { registerArgs } from "../helpers/resources.js";

/** A never-admitted account, distinct from every fixture signer. */
const NEWCOMER = getAddress(dataSlice(h("newcomer"), 12));
const UNKNOWN_ROLE = h("drl.role.UNKNOWN");
const REASON = h("reason");
const ALL_ROLES = Object.values(ROLES);

describe("MemberRegistry", function () {
  let fx: LedgerFixture;
  let a: Addresses;

  beforeEach(async function () {
    fx = await ledgerFixture();
    a = await addressesOf(fx);
  });

  /** The seq the next trace entry of member `account` will carry. */
  const nextSeq = async (account: string): Promise<bigint> => seqOf(await fx.members.traceWord(memberKey(account))) + 1n;

  /** Makes `holder2` a second active governor. */
  const addSecondGovernor = async (): Promise<void> => {
    await (await fx.members.grantRole(ROLES.GOVERNANCE, a.holder2)).wait();
  };

  describe("constructor", function () {
    it("admits the first governor as an active governance member", async function () {
      expect(await fx.members.statusOf(a.gov)).to.equal(MemberStatus.Active);
      expect(await fx.members.hasActiveRole(a.gov, ROLES.GOVERNANCE)).to.equal(true);
      expect(await fx.members.activeGovernors()).to.equal(1n);
      for (const role of ALL_ROLES) expect(await fx.members.getRoleAdmin(role)).to.equal(ROLES.GOVERNANCE);
    });

    it("reverts with MemberZeroAddress when the governor is the zero address", async function () {
      const factory = await ethers.getContractFactory("MemberRegistry");
      await expect(ethers.deployContract("MemberRegistry", [ZeroAddress, h("org"), h("cred")]))
        .to.be.revertedWithCustomError(factory, "MemberZeroAddress")
        .withArgs();
    });

    it("reverts with MemberEmptyHash when the org id or credential hash is zero", async function () {
      const factory = await ethers.getContractFactory("MemberRegistry");
      await expect(ethers.deployContract("MemberRegistry", [a.gov, ZeroHash, h("cred")])).to.be.revertedWithCustomError(
        factory,
        "MemberEmptyHash",
      );
      await expect(ethers.deployContract("MemberRegistry", [a.gov, h("org"), ZeroHash])).to.be.revertedWithCustomError(
        factory,
        "MemberEmptyHash",
      );
    });
  });

  describe("admit", function () {
    it("admits an active member with its roles and emits MemberAdmitted and RoleGranted", async function () {
      const tx = fx.members.admit(NEWCOMER, h("org:new"), h("cred:new"), [ROLES.HOLDER, ROLES.CERTIFIER]);
      await expect(tx).to.emit(fx.members, "MemberAdmitted").withArgs(NEWCOMER, h("org:new"), h("cred:new"), a.gov);
      await expect(tx).to.emit(fx.members, "RoleGranted").withArgs(ROLES.HOLDER, NEWCOMER, a.gov);
      await expect(tx).to.emit(fx.members, "RoleGranted").withArgs(ROLES.CERTIFIER, NEWCOMER, a.gov);
      expect(await fx.members.statusOf(NEWCOMER)).to.equal(MemberStatus.Active);
      expect(await fx.members.isActive(NEWCOMER)).to.equal(true);
      expect(await fx.members.hasActiveRole(NEWCOMER, ROLES.HOLDER)).to.equal(true);
      expect(await fx.members.hasActiveRole(NEWCOMER, ROLES.CERTIFIER)).to.equal(true);
      expect(await fx.members.hasRole(ROLES.PROCESSOR, NEWCOMER)).to.equal(false);
    });

    it("traces the admission (MEMBER_ADMITTED) and each role grant (ROLE_GRANTED)", async function () {
      const tx = fx.members.admit(NEWCOMER, h("org:new"), h("cred:new"), [ROLES.HOLDER]);
      const key = memberKey(NEWCOMER);
      await expect(tx)
        .to.emit(fx.members, "TraceRecorded")
        .withArgs(
          key,
          1n,
          Action.MEMBER_ADMITTED,
          a.gov,
          payloadHash(["address", "bytes32", "bytes32", "address"], [NEWCOMER, h("org:new"), h("cred:new"), a.gov]),
          anyValue,
        );
      await expect(tx)
        .to.emit(fx.members, "TraceRecorded")
        .withArgs(key, 2n, Action.ROLE_GRANTED, a.gov, payloadHash(["bytes32", "address", "address"], [ROLES.HOLDER, NEWCOMER, a.gov]), anyValue);
      expect(seqOf(await fx.members.traceWord(key))).to.equal(2n);
    });

    it("admits a member with no roles", async function () {
      await expect(fx.members.admit(NEWCOMER, h("org:new"), h("cred:new"), []))
        .to.emit(fx.members, "MemberAdmitted")
        .withArgs(NEWCOMER, h("org:new"), h("cred:new"), a.gov);
      expect(await fx.members.isActive(NEWCOMER)).to.equal(true);
    });

    it("admits a member with all seven roles and counts a new governor", async function () {
      await (await fx.members.admit(NEWCOMER, h("org:new"), h("cred:new"), ALL_ROLES)).wait();
      for (const role of ALL_ROLES) expect(await fx.members.hasActiveRole(NEWCOMER, role)).to.equal(true);
      expect(await fx.members.activeGovernors()).to.equal(2n);
    });

    it("reverts with MemberMissingRole when the caller is an active member without GOVERNANCE", async function () {
      await expect(fx.members.connect(fx.regulator).admit(NEWCOMER, h("org"), h("cred"), []))
        .to.be.revertedWithCustomError(fx.members, "MemberMissingRole")
        .withArgs(a.regulator, ROLES.GOVERNANCE);
    });

    it("reverts with MemberNotActive when the caller is not an active member", async function () {
      await expect(fx.members.connect(fx.outsider).admit(NEWCOMER, h("org"), h("cred"), []))
        .to.be.revertedWithCustomError(fx.members, "MemberNotActive")
        .withArgs(a.outsider, MemberStatus.None);
      await expect(fx.members.connect(fx.suspended).admit(NEWCOMER, h("org"), h("cred"), []))
        .to.be.revertedWithCustomError(fx.members, "MemberNotActive")
        .withArgs(a.suspended, MemberStatus.Suspended);
    });

    it("reverts with MemberZeroAddress when the account is the zero address", async function () {
      await expect(fx.members.admit(ZeroAddress, h("org"), h("cred"), []))
        .to.be.revertedWithCustomError(fx.members, "MemberZeroAddress")
        .withArgs();
    });

    it("reverts with MemberEmptyHash when the org id is zero", async function () {
      await expect(fx.members.admit(NEWCOMER, ZeroHash, h("cred"), [])).to.be.revertedWithCustomError(fx.members, "MemberEmptyHash").withArgs();
    });

    it("reverts with MemberEmptyHash when the credential hash is zero", async function () {
      await expect(fx.members.admit(NEWCOMER, h("org"), ZeroHash, [])).to.be.revertedWithCustomError(fx.members, "MemberEmptyHash").withArgs();
    });

    it("reverts with MemberAlreadyAdmitted when the account is active", async function () {
      await expect(fx.members.admit(a.holder, h("org"), h("cred"), []))
        .to.be.revertedWithCustomError(fx.members, "MemberAlreadyAdmitted")
        .withArgs(a.holder, MemberStatus.Active);
    });

    it("reverts with MemberAlreadyAdmitted when the account is suspended", async function () {
      await expect(fx.members.admit(a.suspended, h("org"), h("cred"), []))
        .to.be.revertedWithCustomError(fx.members, "MemberAlreadyAdmitted")
        .withArgs(a.suspended, MemberStatus.Suspended);
    });

    it("reverts with MemberAlreadyAdmitted when the account has exited (exited accounts cannot be re-admitted)", async function () {
      await (await fx.members.expel(a.processor3, REASON)).wait();
      await expect(fx.members.admit(a.processor3, h("org:again"), h("cred:again"), [ROLES.PROCESSOR]))
        .to.be.revertedWithCustomError(fx.members, "MemberAlreadyAdmitted")
        .withArgs(a.processor3, MemberStatus.Exited);
      expect(await fx.members.statusOf(a.processor3)).to.equal(MemberStatus.Exited);
    });

    it("reverts with MemberTooManyRoles when more than 7 roles are passed", async function () {
      await expect(fx.members.admit(NEWCOMER, h("org"), h("cred"), [...ALL_ROLES, ROLES.HOLDER]))
        .to.be.revertedWithCustomError(fx.members, "MemberTooManyRoles")
        .withArgs(8n, 7n);
    });

    it("reverts with MemberUnknownRole when a role is not one of the seven", async function () {
      await expect(fx.members.admit(NEWCOMER, h("org"), h("cred"), [ROLES.HOLDER, UNKNOWN_ROLE]))
        .to.be.revertedWithCustomError(fx.members, "MemberUnknownRole")
        .withArgs(UNKNOWN_ROLE);
    });

    it("reverts with MemberUnknownRole when the role is OpenZeppelin's DEFAULT_ADMIN_ROLE", async function () {
      await expect(fx.members.admit(NEWCOMER, h("org"), h("cred"), [ZeroHash]))
        .to.be.revertedWithCustomError(fx.members, "MemberUnknownRole")
        .withArgs(ZeroHash);
    });

    it("writes nothing when it reverts", async function () {
      const word = await fx.members.traceWord(memberKey(NEWCOMER));
      await expect(fx.members.admit(NEWCOMER, h("org"), h("cred"), [UNKNOWN_ROLE])).to.be.revertedWithCustomError(
        fx.members,
        "MemberUnknownRole",
      );
      expect(await fx.members.statusOf(NEWCOMER)).to.equal(MemberStatus.None);
      expect(await fx.members.traceWord(memberKey(NEWCOMER))).to.equal(word);
    });
  });

  describe("grantRole", function () {
    it("grants a role to an active member and emits RoleGranted", async function () {
      const seq = await nextSeq(a.holder);
      const tx = fx.members.grantRole(ROLES.CERTIFIER, a.holder);
      await expect(tx).to.emit(fx.members, "RoleGranted").withArgs(ROLES.CERTIFIER, a.holder, a.gov);
      await expect(tx)
        .to.emit(fx.members, "TraceRecorded")
        .withArgs(
          memberKey(a.holder),
          seq,
          Action.ROLE_GRANTED,
          a.gov,
          payloadHash(["bytes32", "address", "address"], [ROLES.CERTIFIER, a.holder, a.gov]),
          anyValue,
        );
      expect(await fx.members.hasActiveRole(a.holder, ROLES.CERTIFIER)).to.equal(true);
    });

    it("grants a role to a suspended member, which takes effect on reinstatement", async function () {
      await expect(fx.members.grantRole(ROLES.GOVERNANCE, a.suspended))
        .to.emit(fx.members, "RoleGranted")
        .withArgs(ROLES.GOVERNANCE, a.suspended, a.gov);
      expect(await fx.members.hasRole(ROLES.GOVERNANCE, a.suspended)).to.equal(true);
      expect(await fx.members.hasActiveRole(a.suspended, ROLES.GOVERNANCE)).to.equal(false);
      expect(await fx.members.activeGovernors()).to.equal(1n);
      await (await fx.members.reinstate(a.suspended, REASON)).wait();
      expect(await fx.members.hasActiveRole(a.suspended, ROLES.GOVERNANCE)).to.equal(true);
      expect(await fx.members.activeGovernors()).to.equal(2n);
    });

    it("does not emit or trace when the role is already held", async function () {
      const word = await fx.members.traceWord(memberKey(a.holder));
      await expect(fx.members.grantRole(ROLES.HOLDER, a.holder)).not.to.emit(fx.members, "RoleGranted");
      expect(await fx.members.traceWord(memberKey(a.holder))).to.equal(word);
    });

    it("reverts with MemberNotAdmitted when the account was never admitted", async function () {
      await expect(fx.members.grantRole(ROLES.HOLDER, a.outsider))
        .to.be.revertedWithCustomError(fx.members, "MemberNotAdmitted")
        .withArgs(a.outsider);
      expect(await fx.members.hasRole(ROLES.HOLDER, a.outsider)).to.equal(false);
    });

    it("reverts with MemberNotAdmitted when the account has exited", async function () {
      await (await fx.members.expel(a.processor3, REASON)).wait();
      await expect(fx.members.grantRole(ROLES.HOLDER, a.processor3))
        .to.be.revertedWithCustomError(fx.members, "MemberNotAdmitted")
        .withArgs(a.processor3);
    });

    it("reverts with MemberUnknownRole when the role is not one of the seven", async function () {
      await expect(fx.members.grantRole(UNKNOWN_ROLE, a.holder))
        .to.be.revertedWithCustomError(fx.members, "MemberUnknownRole")
        .withArgs(UNKNOWN_ROLE);
    });

    it("reverts with MemberMissingRole when the caller lacks GOVERNANCE", async function () {
      await expect(fx.members.connect(fx.regulator).grantRole(ROLES.HOLDER, a.processor))
        .to.be.revertedWithCustomError(fx.members, "MemberMissingRole")
        .withArgs(a.regulator, ROLES.GOVERNANCE);
    });

    it("reverts with MemberNotActive when the caller is a suspended or unknown account", async function () {
      await expect(fx.members.connect(fx.suspended).grantRole(ROLES.HOLDER, a.processor))
        .to.be.revertedWithCustomError(fx.members, "MemberNotActive")
        .withArgs(a.suspended, MemberStatus.Suspended);
      await expect(fx.members.connect(fx.outsider).grantRole(ROLES.HOLDER, a.processor))
        .to.be.revertedWithCustomError(fx.members, "MemberNotActive")
        .withArgs(a.outsider, MemberStatus.None);
    });
  });

  describe("revokeRole", function () {
    it("revokes a role, emits RoleRevoked and stops the member's writes that need it", async function () {
      const seq = await nextSeq(a.holder);
      const tx = fx.members.revokeRole(ROLES.HOLDER, a.holder);
      await expect(tx).to.emit(fx.members, "RoleRevoked").withArgs(ROLES.HOLDER, a.holder, a.gov);
      await expect(tx)
        .to.emit(fx.members, "TraceRecorded")
        .withArgs(
          memberKey(a.holder),
          seq,
          Action.ROLE_REVOKED,
          a.gov,
          payloadHash(["bytes32", "address", "address"], [ROLES.HOLDER, a.holder, a.gov]),
          anyValue,
        );
      expect(await fx.members.hasRole(ROLES.HOLDER, a.holder)).to.equal(false);
      await expect(fx.resources.connect(fx.holder).register(...registerArgs()))
        .to.be.revertedWithCustomError(fx.members, "MemberMissingRole")
        .withArgs(a.holder, ROLES.HOLDER);
    });

    it("revokes a role from a suspended member", async function () {
      await expect(fx.members.revokeRole(ROLES.HOLDER, a.suspended))
        .to.emit(fx.members, "RoleRevoked")
        .withArgs(ROLES.HOLDER, a.suspended, a.gov);
    });

    it("revokes GOVERNANCE from one of two active governors", async function () {
      await addSecondGovernor();
      await expect(fx.members.revokeRole(ROLES.GOVERNANCE, a.holder2))
        .to.emit(fx.members, "RoleRevoked")
        .withArgs(ROLES.GOVERNANCE, a.holder2, a.gov);
      expect(await fx.members.activeGovernors()).to.equal(1n);
    });

    it("reverts with MemberLastGovernance when revoking GOVERNANCE from the last active governor", async function () {
      await expect(fx.members.revokeRole(ROLES.GOVERNANCE, a.gov))
        .to.be.revertedWithCustomError(fx.members, "MemberLastGovernance")
        .withArgs(a.gov);
      expect(await fx.members.hasActiveRole(a.gov, ROLES.GOVERNANCE)).to.equal(true);
    });

    it("reverts with MemberLastGovernance when the only other governor is suspended", async function () {
      await (await fx.members.grantRole(ROLES.GOVERNANCE, a.suspended)).wait();
      await expect(fx.members.revokeRole(ROLES.GOVERNANCE, a.gov))
        .to.be.revertedWithCustomError(fx.members, "MemberLastGovernance")
        .withArgs(a.gov);
    });

    it("reverts with MemberNotAdmitted when the account was never admitted", async function () {
      await expect(fx.members.revokeRole(ROLES.HOLDER, a.outsider))
        .to.be.revertedWithCustomError(fx.members, "MemberNotAdmitted")
        .withArgs(a.outsider);
    });

    it("reverts with MemberNotAdmitted when the account has exited", async function () {
      await (await fx.members.expel(a.processor3, REASON)).wait();
      await expect(fx.members.revokeRole(ROLES.PROCESSOR, a.processor3))
        .to.be.revertedWithCustomError(fx.members, "MemberNotAdmitted")
        .withArgs(a.processor3);
    });

    it("reverts with MemberUnknownRole when the role is not one of the seven", async function () {
      await expect(fx.members.revokeRole(UNKNOWN_ROLE, a.holder))
        .to.be.revertedWithCustomError(fx.members, "MemberUnknownRole")
        .withArgs(UNKNOWN_ROLE);
    });

    it("reverts with MemberMissingRole when the caller lacks GOVERNANCE", async function () {
      await expect(fx.members.connect(fx.regulator).revokeRole(ROLES.HOLDER, a.holder))
        .to.be.revertedWithCustomError(fx.members, "MemberMissingRole")
        .withArgs(a.regulator, ROLES.GOVERNANCE);
    });
  });

  describe("renounceRole", function () {
    it("lets an active member renounce its own role and emits RoleRevoked", async function () {
      const tx = fx.members.connect(fx.holder).renounceRole(ROLES.HOLDER, a.holder);
      await expect(tx).to.emit(fx.members, "RoleRevoked").withArgs(ROLES.HOLDER, a.holder, a.holder);
      await expect(tx)
        .to.emit(fx.members, "TraceRecorded")
        .withArgs(
          memberKey(a.holder),
          anyValue,
          Action.ROLE_REVOKED,
          a.holder,
          payloadHash(["bytes32", "address", "address"], [ROLES.HOLDER, a.holder, a.holder]),
          anyValue,
        );
      expect(await fx.members.hasRole(ROLES.HOLDER, a.holder)).to.equal(false);
    });

    it("reverts with MemberNotActive when the caller is suspended", async function () {
      await expect(fx.members.connect(fx.suspended).renounceRole(ROLES.REGULATOR, a.suspended))
        .to.be.revertedWithCustomError(fx.members, "MemberNotActive")
        .withArgs(a.suspended, MemberStatus.Suspended);
      expect(await fx.members.hasRole(ROLES.REGULATOR, a.suspended)).to.equal(true);
    });

    it("reverts with MemberNotActive when the caller has exited", async function () {
      await (await fx.members.expel(a.processor3, REASON)).wait();
      await expect(fx.members.connect(fx.processor3).renounceRole(ROLES.PROCESSOR, a.processor3))
        .to.be.revertedWithCustomError(fx.members, "MemberNotActive")
        .withArgs(a.processor3, MemberStatus.Exited);
    });

    it("reverts with MemberNotActive when the caller was never admitted", async function () {
      await expect(fx.members.connect(fx.outsider).renounceRole(ROLES.HOLDER, a.outsider))
        .to.be.revertedWithCustomError(fx.members, "MemberNotActive")
        .withArgs(a.outsider, MemberStatus.None);
    });

    it("reverts with MemberLastGovernance when the last active governor renounces GOVERNANCE", async function () {
      await expect(fx.members.renounceRole(ROLES.GOVERNANCE, a.gov))
        .to.be.revertedWithCustomError(fx.members, "MemberLastGovernance")
        .withArgs(a.gov);
    });

    it("lets one of two governors renounce GOVERNANCE", async function () {
      await addSecondGovernor();
      await expect(fx.members.renounceRole(ROLES.GOVERNANCE, a.gov))
        .to.emit(fx.members, "RoleRevoked")
        .withArgs(ROLES.GOVERNANCE, a.gov, a.gov);
      expect(await fx.members.activeGovernors()).to.equal(1n);
    });

    it("reverts with AccessControlBadConfirmation when the confirmation is not the caller", async function () {
      await expect(fx.members.connect(fx.holder).renounceRole(ROLES.HOLDER, a.holder2))
        .to.be.revertedWithCustomError(fx.members, "AccessControlBadConfirmation")
        .withArgs();
    });
  });

  describe("suspend", function () {
    it("suspends an active member, emits MemberSuspended and traces MEMBER_SUSPENDED", async function () {
      const seq = await nextSeq(a.holder);
      const tx = fx.members.suspend(a.holder, REASON);
      await expect(tx).to.emit(fx.members, "MemberSuspended").withArgs(a.holder, a.gov, REASON);
      await expect(tx)
        .to.emit(fx.members, "TraceRecorded")
        .withArgs(
          memberKey(a.holder),
          seq,
          Action.MEMBER_SUSPENDED,
          a.gov,
          payloadHash(["address", "address", "bytes32"], [a.holder, a.gov, REASON]),
          anyValue,
        );
      expect(await fx.members.statusOf(a.holder)).to.equal(MemberStatus.Suspended);
      expect(await fx.members.isActive(a.holder)).to.equal(false);
      // The role stays; only its use stops.
      expect(await fx.members.hasRole(ROLES.HOLDER, a.holder)).to.equal(true);
      expect(await fx.members.hasActiveRole(a.holder, ROLES.HOLDER)).to.equal(false);
    });

    it("lets a regulator suspend", async function () {
      await expect(fx.members.connect(fx.regulator).suspend(a.holder, REASON))
        .to.emit(fx.members, "MemberSuspended")
        .withArgs(a.holder, a.regulator, REASON);
    });

    it("stops the member's writes at once (a suspended holder cannot register) and reinstatement restores them", async function () {
      await (await fx.members.connect(fx.regulator).suspend(a.holder, REASON)).wait();
      await expect(fx.resources.connect(fx.holder).register(...registerArgs()))
        .to.be.revertedWithCustomError(fx.members, "MemberNotActive")
        .withArgs(a.holder, MemberStatus.Suspended);
      await expect(fx.members.checkActiveRole(a.holder, ROLES.HOLDER))
        .to.be.revertedWithCustomError(fx.members, "MemberNotActive")
        .withArgs(a.holder, MemberStatus.Suspended);

      await (await fx.members.reinstate(a.holder, h("reason:reinstate"))).wait();
      await expect(fx.resources.connect(fx.holder).register(...registerArgs())).to.emit(fx.resources, "ResourceRegistered");
      await fx.members.checkActiveRole(a.holder, ROLES.HOLDER);
    });

    it("stops a suspended regulator from suspending", async function () {
      await (await fx.members.suspend(a.regulator, REASON)).wait();
      await expect(fx.members.connect(fx.regulator).suspend(a.holder, REASON))
        .to.be.revertedWithCustomError(fx.members, "MemberNotActive")
        .withArgs(a.regulator, MemberStatus.Suspended);
    });

    it("reverts with MemberNotSuspender when an active caller is neither governance nor regulator", async function () {
      await expect(fx.members.connect(fx.holder).suspend(a.holder2, REASON))
        .to.be.revertedWithCustomError(fx.members, "MemberNotSuspender")
        .withArgs(a.holder);
    });

    it("reverts with MemberNotActive when the caller is suspended (although it holds REGULATOR) or unknown", async function () {
      await expect(fx.members.connect(fx.suspended).suspend(a.holder, REASON))
        .to.be.revertedWithCustomError(fx.members, "MemberNotActive")
        .withArgs(a.suspended, MemberStatus.Suspended);
      await expect(fx.members.connect(fx.outsider).suspend(a.holder, REASON))
        .to.be.revertedWithCustomError(fx.members, "MemberNotActive")
        .withArgs(a.outsider, MemberStatus.None);
    });

    it("reverts with MemberEmptyReason when the reason is zero", async function () {
      await expect(fx.members.suspend(a.holder, ZeroHash)).to.be.revertedWithCustomError(fx.members, "MemberEmptyReason").withArgs();
    });

    it("reverts with MemberInvalidStatus when the target is already suspended", async function () {
      await expect(fx.members.suspend(a.suspended, REASON))
        .to.be.revertedWithCustomError(fx.members, "MemberInvalidStatus")
        .withArgs(a.suspended, MemberStatus.Suspended);
    });

    it("reverts with MemberInvalidStatus when the target was never admitted", async function () {
      await expect(fx.members.suspend(a.outsider, REASON))
        .to.be.revertedWithCustomError(fx.members, "MemberInvalidStatus")
        .withArgs(a.outsider, MemberStatus.None);
    });

    it("reverts with MemberInvalidStatus when the target has exited", async function () {
      await (await fx.members.expel(a.processor3, REASON)).wait();
      await expect(fx.members.suspend(a.processor3, REASON))
        .to.be.revertedWithCustomError(fx.members, "MemberInvalidStatus")
        .withArgs(a.processor3, MemberStatus.Exited);
    });

    it("reverts with MemberLastGovernance when suspending the last active governor", async function () {
      await expect(fx.members.connect(fx.regulator).suspend(a.gov, REASON))
        .to.be.revertedWithCustomError(fx.members, "MemberLastGovernance")
        .withArgs(a.gov);
      await expect(fx.members.suspend(a.gov, REASON))
        .to.be.revertedWithCustomError(fx.members, "MemberLastGovernance")
        .withArgs(a.gov);
      expect(await fx.members.statusOf(a.gov)).to.equal(MemberStatus.Active);
    });

    it("suspends one of two governors, after which the other is the last", async function () {
      await addSecondGovernor();
      await expect(fx.members.connect(fx.regulator).suspend(a.gov, REASON))
        .to.emit(fx.members, "MemberSuspended")
        .withArgs(a.gov, a.regulator, REASON);
      expect(await fx.members.activeGovernors()).to.equal(1n);
      await expect(fx.members.connect(fx.regulator).suspend(a.holder2, REASON))
        .to.be.revertedWithCustomError(fx.members, "MemberLastGovernance")
        .withArgs(a.holder2);
      // A suspended governor governs nothing.
      await expect(fx.members.connect(fx.gov).admit(NEWCOMER, h("org"), h("cred"), []))
        .to.be.revertedWithCustomError(fx.members, "MemberNotActive")
        .withArgs(a.gov, MemberStatus.Suspended);
    });
  });

  describe("reinstate", function () {
    it("reinstates a suspended member, emits MemberReinstated and traces MEMBER_REINSTATED", async function () {
      const seq = await nextSeq(a.suspended);
      const tx = fx.members.reinstate(a.suspended, REASON);
      await expect(tx).to.emit(fx.members, "MemberReinstated").withArgs(a.suspended, a.gov, REASON);
      await expect(tx)
        .to.emit(fx.members, "TraceRecorded")
        .withArgs(
          memberKey(a.suspended),
          seq,
          Action.MEMBER_REINSTATED,
          a.gov,
          payloadHash(["address", "address", "bytes32"], [a.suspended, a.gov, REASON]),
          anyValue,
        );
      expect(await fx.members.statusOf(a.suspended)).to.equal(MemberStatus.Active);
      // Its roles work again without being re-granted.
      expect(await fx.members.hasActiveRole(a.suspended, ROLES.REGULATOR)).to.equal(true);
    });

    it("restores a suspended governor to the active-governor count", async function () {
      await addSecondGovernor();
      await (await fx.members.suspend(a.holder2, REASON)).wait();
      expect(await fx.members.activeGovernors()).to.equal(1n);
      await (await fx.members.reinstate(a.holder2, REASON)).wait();
      expect(await fx.members.activeGovernors()).to.equal(2n);
    });

    it("lets a regulator reinstate (the authorities that suspend may lift a suspension)", async function () {
      await expect(fx.members.connect(fx.regulator).reinstate(a.suspended, REASON))
        .to.emit(fx.members, "MemberReinstated")
        .withArgs(a.suspended, a.regulator, REASON);
      expect(await fx.members.statusOf(a.suspended)).to.equal(MemberStatus.Active);
    });

    it("reverts with MemberNotSuspender when the caller is neither governance nor regulator", async function () {
      await expect(fx.members.connect(fx.holder).reinstate(a.suspended, REASON))
        .to.be.revertedWithCustomError(fx.members, "MemberNotSuspender")
        .withArgs(a.holder);
    });

    it("reverts with MemberEmptyReason when the reason is zero", async function () {
      await expect(fx.members.reinstate(a.suspended, ZeroHash)).to.be.revertedWithCustomError(fx.members, "MemberEmptyReason").withArgs();
    });

    it("reverts with MemberInvalidStatus when the target is active", async function () {
      await expect(fx.members.reinstate(a.holder, REASON))
        .to.be.revertedWithCustomError(fx.members, "MemberInvalidStatus")
        .withArgs(a.holder, MemberStatus.Active);
    });

    it("reverts with MemberInvalidStatus when the target was never admitted", async function () {
      await expect(fx.members.reinstate(a.outsider, REASON))
        .to.be.revertedWithCustomError(fx.members, "MemberInvalidStatus")
        .withArgs(a.outsider, MemberStatus.None);
    });

    it("reverts with MemberInvalidStatus when the target has exited", async function () {
      await (await fx.members.expel(a.suspended, REASON)).wait();
      await expect(fx.members.reinstate(a.suspended, REASON))
        .to.be.revertedWithCustomError(fx.members, "MemberInvalidStatus")
        .withArgs(a.suspended, MemberStatus.Exited);
    });
  });

  describe("expel", function () {
    it("expels an active member for good, emits MemberExpelled and traces MEMBER_EXPELLED", async function () {
      const seq = await nextSeq(a.processor3);
      const tx = fx.members.expel(a.processor3, REASON);
      await expect(tx).to.emit(fx.members, "MemberExpelled").withArgs(a.processor3, a.gov, REASON);
      await expect(tx)
        .to.emit(fx.members, "TraceRecorded")
        .withArgs(
          memberKey(a.processor3),
          seq,
          Action.MEMBER_EXPELLED,
          a.gov,
          payloadHash(["address", "address", "bytes32"], [a.processor3, a.gov, REASON]),
          anyValue,
        );
      expect(await fx.members.statusOf(a.processor3)).to.equal(MemberStatus.Exited);
      await expect(fx.members.checkActive(a.processor3))
        .to.be.revertedWithCustomError(fx.members, "MemberNotActive")
        .withArgs(a.processor3, MemberStatus.Exited);
    });

    it("expels a suspended member", async function () {
      await expect(fx.members.expel(a.suspended, REASON)).to.emit(fx.members, "MemberExpelled").withArgs(a.suspended, a.gov, REASON);
      expect(await fx.members.statusOf(a.suspended)).to.equal(MemberStatus.Exited);
    });

    it("is final: an exited member cannot write, be reinstated, suspended, re-admitted or granted a role", async function () {
      await (await fx.members.expel(a.holder2, REASON)).wait();
      await expect(fx.resources.connect(fx.holder2).register(...registerArgs()))
        .to.be.revertedWithCustomError(fx.members, "MemberNotActive")
        .withArgs(a.holder2, MemberStatus.Exited);
      await expect(fx.members.reinstate(a.holder2, REASON))
        .to.be.revertedWithCustomError(fx.members, "MemberInvalidStatus")
        .withArgs(a.holder2, MemberStatus.Exited);
      await expect(fx.members.suspend(a.holder2, REASON))
        .to.be.revertedWithCustomError(fx.members, "MemberInvalidStatus")
        .withArgs(a.holder2, MemberStatus.Exited);
      await expect(fx.members.admit(a.holder2, h("org"), h("cred"), []))
        .to.be.revertedWithCustomError(fx.members, "MemberAlreadyAdmitted")
        .withArgs(a.holder2, MemberStatus.Exited);
      await expect(fx.members.grantRole(ROLES.HOLDER, a.holder2))
        .to.be.revertedWithCustomError(fx.members, "MemberNotAdmitted")
        .withArgs(a.holder2);
    });

    it("reverts with MemberInvalidStatus when the target has already exited", async function () {
      await (await fx.members.expel(a.processor3, REASON)).wait();
      await expect(fx.members.expel(a.processor3, REASON))
        .to.be.revertedWithCustomError(fx.members, "MemberInvalidStatus")
        .withArgs(a.processor3, MemberStatus.Exited);
    });

    it("reverts with MemberInvalidStatus when the target was never admitted", async function () {
      await expect(fx.members.expel(a.outsider, REASON))
        .to.be.revertedWithCustomError(fx.members, "MemberInvalidStatus")
        .withArgs(a.outsider, MemberStatus.None);
    });

    it("reverts with MemberEmptyReason when the reason is zero", async function () {
      await expect(fx.members.expel(a.processor3, ZeroHash)).to.be.revertedWithCustomError(fx.members, "MemberEmptyReason").withArgs();
    });

    it("reverts with MemberMissingRole when the caller is a regulator", async function () {
      await expect(fx.members.connect(fx.regulator).expel(a.processor3, REASON))
        .to.be.revertedWithCustomError(fx.members, "MemberMissingRole")
        .withArgs(a.regulator, ROLES.GOVERNANCE);
    });

    it("reverts with MemberLastGovernance when expelling the last active governor", async function () {
      await expect(fx.members.expel(a.gov, REASON))
        .to.be.revertedWithCustomError(fx.members, "MemberLastGovernance")
        .withArgs(a.gov);
      expect(await fx.members.statusOf(a.gov)).to.equal(MemberStatus.Active);
    });

    it("expels a suspended governor without changing the active-governor count", async function () {
      await addSecondGovernor();
      await (await fx.members.suspend(a.holder2, REASON)).wait();
      expect(await fx.members.activeGovernors()).to.equal(1n);
      await (await fx.members.expel(a.holder2, REASON)).wait();
      expect(await fx.members.activeGovernors()).to.equal(1n);
    });
  });

  describe("checkActive / checkActiveRole", function () {
    it("passes for an active member holding the role", async function () {
      await fx.members.checkActive(a.holder);
      await fx.members.checkActiveRole(a.holder, ROLES.HOLDER);
      expect(await fx.members.hasActiveRole(a.holder, ROLES.HOLDER)).to.equal(true);
    });

    it("reverts with MemberMissingRole when an active member lacks the role", async function () {
      await expect(fx.members.checkActiveRole(a.holder, ROLES.REGULATOR))
        .to.be.revertedWithCustomError(fx.members, "MemberMissingRole")
        .withArgs(a.holder, ROLES.REGULATOR);
    });

    it("reverts with MemberNotActive when the account is not active", async function () {
      await expect(fx.members.checkActive(a.outsider))
        .to.be.revertedWithCustomError(fx.members, "MemberNotActive")
        .withArgs(a.outsider, MemberStatus.None);
      await expect(fx.members.checkActiveRole(a.suspended, ROLES.HOLDER))
        .to.be.revertedWithCustomError(fx.members, "MemberNotActive")
        .withArgs(a.suspended, MemberStatus.Suspended);
    });
  });
});
