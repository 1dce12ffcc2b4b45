import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * The ledger core: the member registry (the one permission authority), the resource registry and the grant
 * registry. The same module deploys to the embedded node and to a permissioned network; only parameters change.
 */
export default buildModule("Ledger", (m) => {
  // The deploying account becomes the first governance member.
  const governor = m.getAccount(0);
  const orgId = m.getParameter<string>("governorOrgId");
  const credentialHash = m.getParameter<string>("governorCredentialHash");
  const objectionWindow = m.getParameter<number>("objectionWindow", 7 * 24 * 3600);

  const members = m.contract("MemberRegistry", [governor, orgId, credentialHash]);
  const resources = m.contract("ResourceRegistry", [members, objectionWindow]);
  const grants = m.contract("GrantRegistry", [members, resources]);
  m.call(resources, "setGrantRegistry", [grants]);
  return { members, resources, grants };
});
