import { getAddress } from "ethers";

/** The fields of an EIP-4361 (Sign-In with Ethereum) message that the ledger issues and checks. */
export interface SiweFields {
  domain: string;
  address: string;
  statement: string;
  uri: string;
  version: "1";
  chainId: bigint;
  nonce: string;
  issuedAt: string;
  expirationTime: string;
}

/** The EIP-4361 text of `f`, exactly as a wallet shows and signs it. */
export function formatSiwe(f: SiweFields): string {
  return [
    `${f.domain} wants you to sign in with your Ethereum account:`,
    f.address,
    "",
    f.statement,
    "",
    `URI: ${f.uri}`,
    `Version: ${f.version}`,
    `Chain ID: ${f.chainId}`,
    `Nonce: ${f.nonce}`,
    `Issued At: ${f.issuedAt}`,
    `Expiration Time: ${f.expirationTime}`,
  ].join("\n");
}

const PATTERN =
  /^(?<domain>[^\s]+) wants you to sign in with your Ethereum account:\n(?<address>0x[0-9a-fA-F]{40})\n\n(?<statement>[^\n]*)\n\nURI: (?<uri>[^\n]+)\nVersion: (?<version>1)\nChain ID: (?<chainId>\d{1,20})\nNonce: (?<nonce>[A-Za-z0-9]{8,64})\nIssued At: (?<issuedAt>[^\n]+)\nExpiration Time: (?<expirationTime>[^\n]+)$/;

/** Parses a message in the exact shape {@link formatSiwe} writes; undefined when it is not one. */
export function parseSiwe(message: string): SiweFields | undefined {
  const m = PATTERN.exec(message);
  const g = m?.groups;
  if (!g) return undefined;
  let address: string;
  try {
    address = getAddress(g.address!);
  } catch {
    return undefined;
  }
  return {
    domain: g.domain!,
    address,
    statement: g.statement!,
    uri: g.uri!,
    version: "1",
    chainId: BigInt(g.chainId!),
    nonce: g.nonce!,
    issuedAt: g.issuedAt!,
    expirationTime: g.expirationTime!,
  };
}
