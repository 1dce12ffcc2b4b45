import type { LedgerFixture } from "./fixtures.js";

/** The fixture's named accounts. */
export const ACCOUNT_NAMES = [
  "gov",
  "regulator",
  "holder",
  "holder2",
  "processor",
  "processor2",
  "processor3",
  "operator",
  "certifier",
  "arbiter",
  "suspended",
  "outsider",
] as const;
export type AccountName = (typeof ACCOUNT_NAMES)[number];
export type Addresses = Record<AccountName, string>;

/** The (checksummed) address of every named account of the fixture. */
export async function addressesOf(fx: LedgerFixture): Promise<Addresses> {
  const entries = await Promise.all(ACCOUNT_NAMES.map(async (n) => [n, await fx[n].getAddress()] as const));
  return Object.fromEntries(entries) as Addresses;
}
