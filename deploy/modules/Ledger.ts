import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { id } from "ethers";

/**
 * The ledger core: the member registry (the one permission authority), the resource registry and the grant
 * registry. The same module deploys to the embedded node and to a permissioned network; only parameters change.
 */
export default buildModule("Ledger", (m) => {
  // The deploying account becomes the first governance member.
  const governor = m.getAccount(0);
  // Defaults suit the embedded node; a consortium passes its governance organisation's real ids.
  const orgId = m.getParameter<string>("governorOrgId", id("drl:org:governance"));
  const credentialHash = m.getParameter<string>("governorCredentialHash", id("drl:credential:governance"));
  const objectionWindow = m.getParameter<number>("objectionWindow", 7 * 24 * 3600);

  const members = m.contract("MemberRegistry", [governor, orgId, credentialHash]);
  const resources = m.contract("ResourceRegistry", [members, objectionWindow]);
  const grants = m.contract("GrantRegistry", [members, resources]);
  m.call(resources, "setGrantRegistry", [grants]);
  return { members, resources, grants };
});
