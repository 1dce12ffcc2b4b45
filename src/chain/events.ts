import type { TypedContractEvent } from "../../types/ethers-contracts/common.js";
import type { LedgerContractName, LedgerContracts } from "./contracts.js";

/** The event names of contract C (typechain lists each event by name and by signature; keep the names). */
type EventNames<C extends { filters: object }> = Extract<
  { [K in keyof C["filters"]]: K extends `${string}(${string}` ? never : K }[keyof C["filters"]],
  string
>;

/** The decoded arguments of event N of contract C, as typechain types them. */
export type EventArgs<C extends { filters: object }, N extends keyof C["filters"]> =
  C["filters"][N] extends TypedContractEvent<infer _I, infer _O, infer Obj> ? Obj : never;

/** One decoded ledger event: which contract, which event, its typed arguments. */
export type LedgerEvent = {
  [C in LedgerContractName]: {
    [N in EventNames<LedgerContracts[C]>]: { contract: C; name: N; args: EventArgs<LedgerContracts[C], N> };
  }[EventNames<LedgerContracts[C]>];
}[LedgerContractName];

export type LedgerEventName = LedgerEvent["name"];
export type EventOf<N extends LedgerEventName> = Extract<LedgerEvent, { name: N }>;

/** Where a log sits in the chain. */
export interface LogPosition {
  blockNumber: number;
  blockHash: string;
  transactionHash: string;
  transactionIndex: number;
  logIndex: number;
}

/** A decoded log: the event, its position, the emitting address, and its raw encoding (kept for evidence). */
export type DecodedLog = LedgerEvent &
  LogPosition & {
    address: string;
    topics: readonly string[];
    data: string;
  };
