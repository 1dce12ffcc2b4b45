import { expect } from "chai";
import { network } from "hardhat";
import LedgerModule from "../../deploy/modules/Ledger.js";

describe("deploy/modules/Ledger (Ignition)", function () {
  it("deploys the core wired together, with the deployer as the first governance member", async function () {
    const { ignition, ethers } = await network.create();
    const [deployer] = await ethers.getSigners();
    const { members, resources, grants } = await ignition.deploy(LedgerModule);
    expect(await members.hasActiveRole(deployer!.address, ethers.id("drl.role.GOVERNANCE"))).to.equal(true);
    expect(await resources.grantRegistry()).to.equal(await grants.getAddress());
    expect(await grants.subjectRegistry(3)).to.equal(await resources.getAddress());
    expect(await resources.memberRegistry()).to.equal(await members.getAddress());
  });
});
