/**
 * The load generator of the API benchmark, run as its own process: autocannon against one URL with a list of
 * request paths (each connection cycles through them), then one JSON line with the result.
 *
 *   node --import tsx scripts/bench/api-load.ts SPEC.json
 * SPEC: { url, connections, seconds, paths: string[], headers?: Record<string,string> }
 *
 * Latency percentiles are computed here from every 2xx response time (autocannon's `response` event, in fractional
 * milliseconds): autocannon's own histogram rounds to whole milliseconds, too coarse for a floor whose p99 is a
 * few milliseconds.
 */
import { readFile } from "node:fs/promises";
import autocannon from "autocannon";

export interface LoadSpec {
  url: string;
  connections: number;
  seconds: number;
  paths: string[];
  headers?: Record<string, string>;
}

export interface LoadResult {
  connections: number;
  seconds: number;
  /** Mean of autocannon's per-second request counts (2xx and others). */
  requestsPerSecond: number;
  ok: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
  /** Milliseconds, over 2xx responses. */
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** autocannon's own (whole-millisecond) percentiles, for comparison. */
  autocannonLatency: { p50: number; p99: number };
  bytesPerSecond: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const spec = JSON.parse(await readFile(process.argv[2]!, "utf8")) as LoadSpec;
  let times = new Float64Array(1 << 16);
  let n = 0;
  let done!: (r: autocannon.Result) => void;
  let failed!: (e: unknown) => void;
  const finished = new Promise<autocannon.Result>((resolve, reject) => ((done = resolve), (failed = reject)));
  const instance = autocannon(
    {
      url: spec.url,
      connections: spec.connections,
      duration: spec.seconds,
      headers: spec.headers,
      requests: spec.paths.map((path) => ({ method: "GET", path })),
    },
    (err: unknown, result: autocannon.Result) => (err ? failed(err) : done(result)),
  );
  instance.on("response", (_client, statusCode, _bytes, ms) => {
    if (statusCode < 200 || statusCode > 299) return;
    if (n === times.length) {
      const bigger = new Float64Array(times.length * 2);
      bigger.set(times);
      times = bigger;
    }
    times[n++] = ms;
  });
  const r = await finished;
  const sorted = times.subarray(0, n).sort();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i]!;
  const statusCodes: Record<string, number> = {};
  for (const [code, s] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = s.count ?? 0;
  const out: LoadResult = {
    connections: spec.connections,
    seconds: r.duration,
    requestsPerSecond: r.requests.average,
    ok: r["2xx"],
    non2xx: r.non2xx,
    statusCodes,
    errors: r.errors,
    timeouts: r.timeouts,
    latency: { p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: percentile(sorted, 100), mean: n ? sum / n : NaN },
    autocannonLatency: { p50: r.latency.p50, p99: r.latency.p99 },
    bytesPerSecond: r.throughput.average,
  };
  process.stdout.write(JSON.stringify(out) + "\n");
}

main().catch((e: unknown) => {
  process.stderr.write(`api-load: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
