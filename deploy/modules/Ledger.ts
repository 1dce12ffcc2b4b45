import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { id } from "ethers";

/**
 * The ledger core: the member registry (the one permission authority), the resource registry, the grant
 * registry, the registries of the conditions grants rest on (public-data operation, personal consent), products,
 * and the market (admission, listings, trades). The same module deploys to the embedded node and to a permissioned
 * network; only parameters change.
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
  const operations = m.contract("OperationRegistry", [members, resources]);
  const consents = m.contract("ConsentRegistry", [members, resources]);
  const products = m.contract("ProductRegistry", [members, resources, grants]);
  const admission = m.contract("AdmissionRegistry", [members, products]);
  const market = m.contract("Market", [members, products, grants, resources, admission]);
  // The account owed the public share of products with public inputs (公共收益); defaults to the governor.
  const publicBeneficiary = m.getParameter("publicBeneficiary", governor);
  m.call(resources, "setGrantRegistry", [grants]);
  m.call(grants, "setConditionRegistries", [operations, consents]);
  // SubjectKind.Product = 5: grants over products are admitted by the product registry.
  m.call(grants, "setSubjectRegistry", [5, products]);
  m.call(grants, "setMarket", [market]);
  m.call(market, "setPublicBeneficiary", [publicBeneficiary]);

  // Supervision: reports, disputes, sanctions, severe actions. The acting contracts are members with the regulator
  // role (their freezes, revocations and suspensions go through the registries' regulator functions); severe
  // actions (expulsion, forced exit, transfer by ruling) run only through SevereActions once it is the executor.
  const appealWindow = m.getParameter<number>("appealWindow", 7 * 24 * 3600);
  const registries = { resources, grants, products, operations, consents };
  const reports = m.contract("ReportRegistry", [members, registries]);
  const severe = m.contract("SevereActions", [members, resources, operations, reports]);
  const disputes = m.contract("DisputeRegistry", [members, registries, severe, appealWindow]);
  const sanctions = m.contract("Sanctions", [members, registries, reports, disputes]);
  m.call(severe, "setDisputeRegistry", [disputes]);
  m.call(reports, "setSanctions", [sanctions]);
  for (const [contract, name] of [[disputes, "disputes"], [sanctions, "sanctions"], [severe, "severe"]] as const) {
    m.call(members, "admit", [contract, id(`drl:org:contract:${name}`), id(`drl:credential:contract:${name}`), [id("drl.role.REGULATOR")]], { id: `admit_${name}` });
  }
  m.call(members, "setSevereExecutor", [severe]);
  m.call(reports, "setTradeLookup", [market], { id: "reports_setTradeLookup" });
  m.call(disputes, "setTradeLookup", [market], { id: "disputes_setTradeLookup" });
  return { members, resources, grants, operations, consents, products, admission, market, reports, disputes, sanctions, severe };
});
