/**
 * drl: the members' command line. `drl help` lists every command; the groups live in src/cli/:
 *   key (keys.ts), member (members.ts), resource (resources.ts, import.ts), grant (grants.ts), operation
 *   (operations.ts), consent (consents.ts), product (products.ts), admission (admission.ts), market (market.ts),
 *   report (report.ts), dispute (dispute.ts), sanction (sanction.ts), severe (severe.ts), evidence (below).
 * Writes sign with an encrypted keystore (--keystore / DRL_KEYSTORE, passphrase from DRL_PASSPHRASE or a prompt);
 * reverts are decoded into the contracts' custom errors with a sentence (errors.ts).
 *   drl evidence verify FILE (--trusted-hash 0x… | --trusted-rpc URL) [--json]
 *   drl evidence pull --api URL --token TOKEN (--subject 0x… | --dispute ID) --out FILE
 *   drl evidence build (--subject 0x… | --dispute ID) [--data-dir ./data] --out FILE     (operators: from the local index and node)
 * Exit codes: 0 ok (a bundle that verifies); 1 the chain refused, a network failure, or a bundle that does not
 * verify; 2 bad usage or input; 3 a key or passphrase problem.
 */
import { parseArgs } from "node:util";
import { join, resolve } from "node:path";
import { BaseError, errorMessage } from "../src/common/errors.js";
import { UsageError, verifyCommand, writeBundle } from "../src/cli/evidence.js";
import { readDeploymentFile } from "../src/chain/deployment-file.js";
import { createHttpRpc } from "../src/chain/rpc.js";
import { buildSubjectBundle } from "../src/evidence/build.js";
import { buildDisputeBundle } from "../src/evidence/build-dispute.js";
import type { EvidenceBundle } from "../src/evidence/bundle.js";
import { openIndexDb } from "../src/store/db.js";
import { Context, GLOBAL_OPTIONS, type CommandSpec } from "../src/cli/context.js";
import { exitCodeOf } from "../src/cli/errors.js";
import { GRANT_COMMANDS } from "../src/cli/grants.js";
import { helpText } from "../src/cli/help.js";
import { KEY_COMMANDS } from "../src/cli/keys.js";
import { MEMBER_COMMANDS } from "../src/cli/members.js";
import { Output } from "../src/cli/output.js";
import { RESOURCE_COMMANDS } from "../src/cli/resources.js";
import { OPERATION_COMMANDS } from "../src/cli/operations.js";
import { CONSENT_COMMANDS } from "../src/cli/consents.js";
import { PRODUCT_COMMANDS } from "../src/cli/products.js";
import { ADMISSION_COMMANDS } from "../src/cli/admission.js";
import { MARKET_COMMANDS } from "../src/cli/market.js";
import { REPORT_COMMANDS } from "../src/cli/report.js";
import { DISPUTE_COMMANDS } from "../src/cli/dispute.js";
import { SANCTION_COMMANDS } from "../src/cli/sanction.js";
import { SEVERE_COMMANDS } from "../src/cli/severe.js";

export const COMMANDS: readonly CommandSpec[] = [...KEY_COMMANDS, ...MEMBER_COMMANDS, ...RESOURCE_COMMANDS, ...GRANT_COMMANDS, ...OPERATION_COMMANDS, ...CONSENT_COMMANDS, ...PRODUCT_COMMANDS, ...ADMISSION_COMMANDS, ...MARKET_COMMANDS, ...REPORT_COMMANDS, ...DISPUTE_COMMANDS, ...SANCTION_COMMANDS, ...SEVERE_COMMANDS];

/** Options that would put a secret on the command line (and in shell history, ps output, CI logs). */
const SECRET_FLAGS = /^--(private-?key|priv-?key|key|secret|mnemonic|seed|passphrase|password)(=|$)/i;

async function main(argv: string[], out: { ctx?: Context }): Promise<number> {
  const secret = argv.find((a) => SECRET_FLAGS.test(a));
  if (secret) throw new UsageError(`${secret.split("=")[0]}: keys and passphrases are never taken on the command line; use --keystore FILE (drl key new / drl key import) with DRL_PASSPHRASE or the prompt`);
  const words = argv.filter((a) => !a.startsWith("-"));
  const [group, name] = words;
  if (group === "evidence") return evidenceMain(argv);
  if (group === undefined || group === "help" || (argv.includes("--help") || argv.includes("-h")) && !COMMANDS.some((c) => c.group === group && c.name === name)) {
    const g = group === "help" ? words[1] : group;
    if (g !== undefined && g !== "help" && !COMMANDS.some((c) => c.group === g) && g !== "evidence") throw new UsageError(`unknown group ${JSON.stringify(g)}; see drl help`);
    process.stdout.write(helpText(COMMANDS, g === "help" ? undefined : g));
    return group === undefined ? 2 : 0;
  }
  const spec = COMMANDS.find((c) => c.group === group && c.name === name);
  if (!spec) {
    if (!COMMANDS.some((c) => c.group === group)) throw new UsageError(`unknown command group ${JSON.stringify(group)}; see drl help`);
    throw new UsageError(`unknown command ${JSON.stringify(`${group} ${name ?? ""}`.trim())}; ${group} commands: ${COMMANDS.filter((c) => c.group === group).map((c) => c.name).join(", ")}`);
  }
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { ...GLOBAL_OPTIONS, ...spec.options } });
  if (values.help) {
    process.stdout.write(helpText([spec], group));
    return 0;
  }
  const ctx = new Context({
    keystore: values.keystore as string | undefined,
    rpc: values.rpc as string | undefined,
    deployment: values.deployment as string | undefined,
    json: Boolean(values.json),
  });
  out.ctx = ctx;
  // The command's positionals: everything after GROUP and NAME.
  const rest = [...positionals];
  rest.splice(rest.indexOf(group), 1);
  rest.splice(rest.indexOf(name!), 1);
  return (await spec.run(ctx, { values, positionals: rest })) ?? 0;
}

async function evidenceMain(argv: string[]): Promise<number> {
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
      dispute: { type: "string" },
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
  const dispute = values.dispute;
  if (dispute !== undefined && !/^[1-9][0-9]{0,18}$/.test(dispute)) throw new UsageError("--dispute must be a dispute id (1, 2, …)");
  if ((dispute === undefined) === (values.subject === undefined)) throw new UsageError("give one of --subject 0x… or --dispute ID");
  if (values.subject !== undefined && !/^0x[0-9a-fA-F]{64}$/.test(values.subject)) throw new UsageError("--subject must be a 32-byte subject key (0x…)");
  if (!values.out) throw new UsageError("--out FILE is required");
  let bundle: EvidenceBundle;
  if (command === "pull") {
    if (!values.api || !values.token) throw new UsageError("--api URL and --token TOKEN are required");
    const path = dispute !== undefined ? `disputes/${dispute}` : `subjects/${values.subject!}`;
    const res = await fetch(`${values.api.replace(/\/$/, "")}/v1/evidence/${path}`, { headers: { authorization: `Bearer ${values.token}` } });
    const body = (await res.json()) as EvidenceBundle | { error: { code: string; message: string } };
    if (!res.ok || "error" in body) throw new BaseError("DRL-PULL", `the API refused: ${"error" in body ? `${body.error.code} ${body.error.message}` : res.status}`);
    bundle = body;
  } else if (command === "build") {
    const dataDir = resolve(values["data-dir"]);
    const deployment = await readDeploymentFile(join(dataDir, "deployment.json"));
    const db = await openIndexDb(join(dataDir, "index"));
    try {
      const common = { db, rpc: createHttpRpc(values.rpc ?? "http://127.0.0.1:8545"), deployment, createdBy: "operator" };
      bundle = dispute !== undefined ? await buildDisputeBundle({ ...common, disputeId: BigInt(dispute) }) : await buildSubjectBundle({ ...common, subject: values.subject! });
    } finally {
      await db.close();
    }
  } else throw new UsageError(`unknown command: evidence ${command ?? ""}`);
  await writeBundle(values.out, bundle);
  process.stdout.write(`wrote ${values.out}: ${bundle.subjects.length} subject(s), anchor block ${bundle.anchor.number} ${bundle.anchor.hash}\nverify it with: drl evidence verify ${values.out} --trusted-hash ${bundle.anchor.hash}  (use a hash you trust, not this one)\n`);
  return 0;
}

const argv = process.argv.slice(2);
const holder: { ctx?: Context } = {};
main(argv, holder).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (argv.filter((a) => !a.startsWith("-"))[0] === "evidence") {
      process.stderr.write(`drl: ${errorMessage(e)}\n`);
      process.exit(exitCodeOf(e));
    }
    const output = holder.ctx?.out ?? new Output(argv.includes("--json"));
    process.exit(output.failure(e));
  },
);
