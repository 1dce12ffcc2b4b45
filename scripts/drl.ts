/**
 * drl: the members' command line. Evidence commands so far:
 *   drl evidence verify FILE (--trusted-hash 0x… | --trusted-rpc URL) [--json]
 *   drl evidence pull --api URL --token TOKEN --subject 0x… --out FILE
 *   drl evidence build --subject 0x… [--data-dir ./data] --out FILE     (operators: from the local index and node)
 * Exit codes: 0 success (a bundle that verifies), 1 failure or a bundle that does not verify, 2 bad usage.
 */
import { parseArgs } from "node:util";
import { join, resolve } from "node:path";
import { BaseError, errorMessage } from "../src/common/errors.js";
import { UsageError, verifyCommand, writeBundle } from "../src/cli/evidence.js";
import { readDeploymentFile } from "../src/chain/deployment-file.js";
import { createHttpRpc } from "../src/chain/rpc.js";
import { buildSubjectBundle } from "../src/evidence/build.js";
import type { EvidenceBundle } from "../src/evidence/bundle.js";
import { openIndexDb } from "../src/store/db.js";

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      "trusted-hash": { type: "string" },
      "trusted-rpc": { type: "string" },
      json: { type: "boolean", default: false },
      api: { type: "string" },
      token: { type: "string" },
      subject: { type: "string" },
      out: { type: "string" },
      "data-dir": { type: "string", default: "./data" },
      rpc: { type: "string" },
    },
  });
  const [group, command, file] = positionals;
  if (group !== "evidence") throw new UsageError("usage: drl evidence (verify|pull|build) …");
  if (command === "verify") {
    if (!file) throw new UsageError("usage: drl evidence verify FILE --trusted-hash 0x…");
    const { verdict, trusted } = await verifyCommand(file, { trustedHash: values["trusted-hash"], trustedRpc: values["trusted-rpc"] });
    if (values.json) process.stdout.write(JSON.stringify({ ...verdict, trustedBlockHash: trusted }, null, 2) + "\n");
    else {
      for (const c of verdict.checks) process.stdout.write(`${c.ok ? "ok  " : "FAIL"} ${c.check.padEnd(10)} ${c.detail}\n`);
      process.stdout.write(`\n${verdict.summary}\n`);
    }
    return verdict.ok ? 0 : 1;
  }
  if (!values.subject || !/^0x[0-9a-fA-F]{64}$/.test(values.subject)) throw new UsageError("--subject must be a 32-byte subject key (0x…)");
  if (!values.out) throw new UsageError("--out FILE is required");
  let bundle: EvidenceBundle;
  if (command === "pull") {
    if (!values.api || !values.token) throw new UsageError("--api URL and --token TOKEN are required");
    const res = await fetch(`${values.api.replace(/\/$/, "")}/v1/evidence/subjects/${values.subject}`, { headers: { authorization: `Bearer ${values.token}` } });
    const body = (await res.json()) as EvidenceBundle | { error: { code: string; message: string } };
    if (!res.ok || "error" in body) throw new BaseError("DRL-PULL", `the API refused: ${"error" in body ? `${body.error.code} ${body.error.message}` : res.status}`);
    bundle = body;
  } else if (command === "build") {
    const dataDir = resolve(values["data-dir"]);
    const deployment = await readDeploymentFile(join(dataDir, "deployment.json"));
    const db = await openIndexDb(join(dataDir, "index"));
    try {
      bundle = await buildSubjectBundle({ db, rpc: createHttpRpc(values.rpc ?? "http://127.0.0.1:8545"), deployment, subject: values.subject, createdBy: "operator" });
    } finally {
      await db.close();
    }
  } else throw new UsageError(`unknown command: evidence ${command ?? ""}`);
  await writeBundle(values.out, bundle);
  process.stdout.write(`wrote ${values.out}: ${bundle.subjects.length} subject(s), anchor block ${bundle.anchor.number} ${bundle.anchor.hash}\nverify it with: drl evidence verify ${values.out} --trusted-hash ${bundle.anchor.hash}  (use a hash you trust, not this one)\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`drl: ${errorMessage(e)}\n`);
    process.exit(e instanceof UsageError ? 2 : 1);
  },
);
