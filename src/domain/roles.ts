import { id } from "ethers";

/** Role ids, as in contracts/libraries/Roles.sol. */
export const ROLE_NAMES = ["GOVERNANCE", "REGULATOR", "HOLDER", "PROCESSOR", "OPERATOR", "CERTIFIER", "ARBITER"] as const;
export type RoleName = (typeof ROLE_NAMES)[number];
export const ROLE_IDS: Readonly<Record<RoleName, string>> = Object.fromEntries(ROLE_NAMES.map((n) => [n, id(`drl.role.${n}`)])) as Record<RoleName, string>;
const BY_ID = new Map(ROLE_NAMES.map((n) => [ROLE_IDS[n], n]));

/** The name of a role id, or undefined for a role the ledger does not define. */
export const roleName = (roleId: string): RoleName | undefined => BY_ID.get(roleId.toLowerCase());
