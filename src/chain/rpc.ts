import { BaseError, NonRetryableError, RangeTooLargeError, RetryableError, errorMessage } from "../common/errors.js";
import type { RawLog } from "./decoder.js";

/** The one thing the indexer needs of a node: EIP-1193 `request`. Hardhat's providers and `createHttpRpc` fit. */
export interface Eip1193 {
  request(args: { method: string; params?: unknown[] | object }): Promise<unknown>;
}

/** A block header as the indexer keeps it. */
export interface Header {
  number: number;
  hash: string;
  parentHash: string;
  timestamp: number;
}

interface RawBlock {
  number: string;
  hash: string;
  parentHash: string;
  timestamp: string;
}

// What nodes answer when a log query is too large (geth, erigon, besu, alchemy-style gateways, anvil).
const TOO_LARGE = [
  /query returned more than/i,
  /block range/i,
  /too many (blocks|results|logs)/i,
  /limit exceeded/i,
  /response size/i,
  /range.*(too|exceed)/i,
  /-32005/,
];

/** Typed wrappers over the JSON-RPC calls the indexer makes. */
export function createChainReader(rpc: Eip1193) {
  const call = async <T>(method: string, params: unknown[]): Promise<T> => {
    try {
      return (await rpc.request({ method, params })) as T;
    } catch (e) {
      const message = errorMessage(e);
      if (method === "eth_getLogs" && TOO_LARGE.some((re) => re.test(message))) {
        throw new RangeTooLargeError("DRL-RPC-RANGE", `node refused the log range: ${message}`, { cause: e });
      }
      if (e instanceof BaseError) throw e;
      throw new RetryableError("DRL-RPC", `${method} failed: ${message}`, { cause: e });
    }
  };
  const hex = (n: number) => "0x" + n.toString(16);
  const toHeader = (b: RawBlock | null, n: number): Header => {
    if (!b) throw new RetryableError("DRL-RPC-NO-BLOCK", `node has no block ${n}`);
    return { number: Number(b.number), hash: b.hash, parentHash: b.parentHash, timestamp: Number(b.timestamp) };
  };
  return {
    chainId: async (): Promise<bigint> => BigInt(await call<string>("eth_chainId", [])),
    blockNumber: async (): Promise<number> => Number(await call<string>("eth_blockNumber", [])),
    header: async (n: number): Promise<Header> => toHeader(await call<RawBlock | null>("eth_getBlockByNumber", [hex(n), false]), n),
    headerByHash: async (hash: string): Promise<Header | undefined> => {
      const b = await call<RawBlock | null>("eth_getBlockByHash", [hash, false]);
      return b ? toHeader(b, Number(b.number)) : undefined;
    },
    logs: (addresses: readonly string[], from: number, to: number): Promise<RawLog[]> =>
      call<RawLog[]>("eth_getLogs", [{ address: addresses, fromBlock: hex(from), toBlock: hex(to) }]),
  };
}
export type ChainReader = ReturnType<typeof createChainReader>;

export interface HttpRpcOptions {
  timeoutMs?: number;
  retries?: number;
}

/** A JSON-RPC client over HTTP with a timeout per call and retries with backoff for transport failures. */
export function createHttpRpc(url: string, options: HttpRpcOptions = {}): Eip1193 {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retries = options.retries ?? 5;
  let id = 0;
  return {
    async request({ method, params }) {
      let lastError: unknown;
      for (let attempt = 0; attempt <= retries; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(5_000, 100 * 2 ** attempt)));
        try {
          const res = await fetch(url, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params: params ?? [] }),
            signal: AbortSignal.timeout(timeoutMs),
          });
          const body = (await res.json()) as { result?: unknown; error?: { code: number; message: string } };
          if (body.error) {
            // The node answered: an RPC error is not a transport failure, so it is not retried here.
            throw new NonRetryableError("DRL-RPC-ERROR", `${body.error.message} (code ${body.error.code})`, { details: { method } });
          }
          return body.result;
        } catch (e) {
          if (e instanceof NonRetryableError) throw e;
          lastError = e;
        }
      }
      throw new RetryableError("DRL-RPC-UNREACHABLE", `${url} did not answer ${method}: ${errorMessage(lastError)}`, { cause: lastError });
    },
  };
}
