/**
 * Events of one subject, read from the node's logs: what the registries keep in events only (an authorization's
 * scenario and resources, a product's spec, withdrawals and evaluations). A `show` reads them without an index.
 */
import { toBeHex, zeroPadValue } from "ethers";
import { LEDGER_INTERFACES, type LedgerContractName } from "../chain/contracts.js";
import { decodeEvents, type Context, type DecodedEvent } from "./context.js";

interface RawLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  transactionHash: string;
}

/** The events `names` of `contract` whose first indexed argument is `id`, oldest first, with their block. */
export async function subjectEvents(ctx: Context, contract: LedgerContractName, names: readonly string[], id: bigint): Promise<(DecodedEvent & { block: number; tx: string })[]> {
  const d = await ctx.ledger();
  const iface = LEDGER_INTERFACES[contract];
  const topic0 = names.map((n) => iface.getEvent(n)!.topicHash);
  const logs = await ctx.rpc().call<RawLog[]>("eth_getLogs", [
    { address: d.addresses[contract], fromBlock: "0x" + d.deploymentBlock.toString(16), toBlock: "latest", topics: [topic0, zeroPadValue(toBeHex(id), 32)] },
  ]);
  return logs.flatMap((log) => decodeEvents(d, [log]).map((e) => ({ ...e, block: Number(log.blockNumber), tx: log.transactionHash })));
}
