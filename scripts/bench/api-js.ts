/**
 * The JavaScript cost of the API bench's queries (issue 6): requests driven into the real app (createApp, as
 * api-server.ts configures it, authentication on, a regulator signed in through the EIP-4361 flow) in this one
 * process, through Node's own IncomingMessage and ServerResponse over a socket stand-in that discards what is
 * written: no kernel, no load generator, no other process. What remains is the part of a request's CPU the code
 * controls, steady from run to run where the socket bench's figures move with whatever else the machine runs;
 * changes to a query's path are compared here first.
 *
 *   npm run bench -- api-js --data DIR [--requests N] [--rounds N] [--queries health,trace,validity,lineage]
 * DIR is a data set built by `npm run bench -- api --data DIR`. Rounds alternate the queries (so a slow stretch of
 * the machine touches all of them); the figure is the median round's µs of CPU per request.
 */
import http from "node:http";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Duplex } from "node:stream";
import { parseArgs } from "node:util";
import { Wallet } from "ethers";
import type { Express } from "express";
import { createApp } from "../../src/api/app.js";
import { createLogger } from "../../src/common/logger.js";
import { openIndexDb } from "../../src/store/db.js";
import { benchApiDeps } from "./api-deps.js";
import { indexDir, readManifest } from "./api-data.js";

/** Stands in for a connection: takes what the response writes and drops it. */
class NullSocket extends Duplex {
  readonly remoteAddress = "127.0.0.1";
  override _read(): void {}
  override _write(_chunk: unknown, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    cb();
  }
  setTimeout(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
}

interface Answer {
  status: number;
  body: string;
}

/** One request through the app, as Node's HTTP server would hand it over; resolves when the response finishes. */
function inject(app: Express, socket: NullSocket, method: string, url: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve) => {
    const req = new http.IncomingMessage(socket as never);
    req.method = method;
    req.url = url;
    req.httpVersion = "1.1";
    req.httpVersionMajor = 1;
    req.httpVersionMinor = 1;
    req.headers = { host: "bench.drl.local", ...headers, ...(body ? { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) } : {}) };
    if (body) req.push(body);
    req.push(null);
    // As the HTTP parser marks a request it has read whole: reading an incomplete one to its end aborts it, and
    // with it the connection.
    req.complete = true;
    const res = new http.ServerResponse(req);
    res.assignSocket(socket as never);
    // The answer's body is kept for a request with a body (the sign-in); the measured GETs keep nothing.
    const chunks: string[] = [];
    if (body !== undefined) {
      const end = res.end.bind(res) as (chunk?: unknown) => http.ServerResponse;
      res.end = ((chunk?: unknown) => {
        if (typeof chunk === "string" || Buffer.isBuffer(chunk)) chunks.push(chunk.toString());
        return end(chunk);
      }) as typeof res.end;
    }
    res.once("finish", () => {
      res.detachSocket(socket as never);
      resolve({ status: res.statusCode, body: chunks.join("") });
    });
    app(req as never, res as never);
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: "string" },
      requests: { type: "string", default: "2000" },
      rounds: { type: "string", default: "15" },
      queries: { type: "string", default: "health,trace,validity,lineage" },
      out: { type: "string", default: "bench-results" },
    },
  });
  if (!values.data) throw new Error("usage: npm run bench -- api-js --data DIR (a data set of npm run bench -- api --data DIR)");
  const m = await readManifest(values.data);
  if (!m) throw new Error(`no API bench data set in ${values.data}: build one with npm run bench -- api --data ${values.data}`);
  const queries = values.queries.split(",");
  const paths = (q: string): string[] => (q === "health" ? ["/health"] : ((m.paths as Record<string, string[]>)[q] ?? []));
  for (const q of queries) if (paths(q).length === 0) throw new Error(`unknown query ${q} (health, trace, validity, lineage)`);
  const n = Number(values.requests);
  const rounds = Number(values.rounds);

  const db = await openIndexDb(indexDir(values.data));
  const work = await mkdtemp(join(tmpdir(), "drl-bench-api-js-"));
  // The production log line is formatted for every request, then dropped.
  const logger = createLogger("info", {}, () => {}).child({ component: "api" });
  const app = createApp(benchApiDeps(db, { documents: join(work, "documents"), chainId: BigInt(m.chainId), rateLimit: 1e12, logger }));
  const socket = new NullSocket();
  const send = (method: string, url: string, headers: Record<string, string> = {}, body?: unknown) => inject(app, socket, method, url, headers, body === undefined ? undefined : JSON.stringify(body));

  const wallet = new Wallet(m.regulatorKey);
  const challenge = await send("POST", "/v1/auth/challenge", {}, { address: wallet.address });
  const { message } = JSON.parse(challenge.body) as { message: string };
  const login = await send("POST", "/v1/auth/login", {}, { message, signature: await wallet.signMessage(message) });
  if (login.status !== 200) throw new Error(`sign-in: ${login.status} ${login.body}`);
  const auth = { authorization: `Bearer ${(JSON.parse(login.body) as { token: string }).token}` };

  const perRound = new Map<string, number[]>(queries.map((q) => [q, []]));
  for (let round = 0; round < rounds; round++) {
    for (const q of queries) {
      const ps = paths(q);
      const before = process.cpuUsage();
      for (let i = 0; i < n; i++) {
        const a = await send("GET", ps[(round * n + i) % ps.length]!, auth);
        if (a.status !== 200) throw new Error(`${q} ${ps[(round * n + i) % ps.length]}: ${a.status}`);
      }
      const used = process.cpuUsage(before);
      perRound.get(q)!.push((used.user + used.system) / n);
    }
    process.stderr.write(`[bench:api-js] round ${round + 1}/${rounds}: ${queries.map((q) => `${q} ${perRound.get(q)!.at(-1)!.toFixed(1)} µs`).join(", ")}\n`);
  }
  await db.close();

  // The first rounds warm the JIT and the caches: the median leaves them out without a cut-off to choose.
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const lo = (xs: number[]) => Math.min(...xs);
  const rows = queries.map((q) => ({ query: q, median: median(perRound.get(q)!), min: lo(perRound.get(q)!) }));
  const md = [
    "### API: JavaScript cost per request (in process, no sockets)",
    "",
    `\`npm run bench -- api-js\` · ${new Date().toISOString().slice(0, 10)} · ${rounds} rounds of ${n} requests per query, alternating · ${m.eventsIndexed.toLocaleString("en-US")} events indexed`,
    "",
    "| query | µs CPU / request (median round) | fastest round |",
    "|---|---:|---:|",
    ...rows.map((r) => `| ${r.query} | ${r.median.toFixed(1)} | ${r.min.toFixed(1)} |`),
    "",
  ].join("\n");
  await mkdir(values.out, { recursive: true });
  await writeFile(join(values.out, "api-js.md"), md);
  await writeFile(join(values.out, "api-js.json"), JSON.stringify({ date: new Date().toISOString(), rounds, requests: n, rows, perRound: Object.fromEntries(perRound) }, null, 2) + "\n");
  process.stdout.write(md);
}

main().catch((e: unknown) => {
  process.stderr.write(`api-js: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
