#!/usr/bin/env node
// Fails the build on solc warnings in the project's OWN Solidity sources (contracts/**, test/**/*.sol),
// while ignoring warnings that originate in dependencies (npm packages such as @openzeppelin/contracts:
// solc 0.8.37 prints ~17 harmless `"at" will be promoted to keyword` warnings for OZ EnumerableSet/Map).
//
// How: run `hardhat build --force` (contracts AND Solidity tests, so every file is recompiled and every
// warning is re-emitted), then read the solc standard-JSON output Hardhat 3 keeps per compilation job in
// artifacts/build-info/<id>.output.json (`output.errors[]`: severity, message, sourceLocation.file).
// Hardhat names sources `project/<path>` for the project's own files and `npm/<pkg>@<version>/<path>`
// for dependencies. Only build-info files written by this build are read (stale ones can linger, e.g.
// after `--no-tests`).
//
// Usage: node scripts/check-solc-warnings.mjs [extra `hardhat build` args, e.g. --build-profile production]
//   VERBOSE=1   also print Hardhat's full build output (including the ignored dependency warnings).
// Exit codes: 0 clean, 1 project warnings/errors found, 2 the build itself failed or produced nothing.

import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const buildInfoDir = path.join(root, "artifacts", "build-info");
const verbose = /^(1|true|yes)$/i.test(process.env.VERBOSE ?? "");
const tag = "check-solc-warnings";

// 1. Build. `npx` puts node_modules/.bin (with the project's Node 24) first on PATH.
const args = ["hardhat", "build", "--force", ...process.argv.slice(2)];
console.log(`${tag}: npx ${args.join(" ")}`);
const startedMs = Date.now();
const build = spawnSync("npx", args, { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
const buildLog = `${build.stdout ?? ""}${build.stderr ?? ""}`;
if (build.error || build.status !== 0) {
  process.stdout.write(buildLog);
  console.error(`${tag}: FAIL: hardhat build failed (${build.error?.message ?? `exit code ${build.status}`})`);
  process.exit(2);
}
if (verbose) process.stdout.write(buildLog);
else {
  // Keep the "Compiled N Solidity files ..." summary lines; the per-warning dump is re-reported below.
  for (const line of build.stdout.split("\n")) if (line.trim()) console.log(`  ${line.trim()}`);
}

// 2. Collect the solc outputs written by this build.
const outputFiles = existsSync(buildInfoDir)
  ? readdirSync(buildInfoDir)
      .filter((f) => f.endsWith(".output.json"))
      .map((f) => path.join(buildInfoDir, f))
      .filter((f) => statSync(f).mtimeMs >= startedMs - 5)
  : [];
if (outputFiles.length === 0) {
  console.error(`${tag}: FAIL: the build wrote no ${path.relative(root, buildInfoDir)}/*.output.json; nothing to check`);
  process.exit(2);
}

/** Byte offset -> 1-based line:column, using the source text from the matching build-info input file. */
function lineCol(sources, file, byteOffset) {
  const content = sources?.[file]?.content;
  if (typeof content !== "string" || typeof byteOffset !== "number" || byteOffset < 0) return null;
  const before = Buffer.from(content, "utf8").subarray(0, byteOffset).toString("utf8");
  const lines = before.split("\n");
  return `${lines.length}:${lines[lines.length - 1].length + 1}`;
}

const isDependency = (file) =>
  file.startsWith("npm/") || file.includes("node_modules/") || file.startsWith("@openzeppelin/");
const displayPath = (file) => (file.startsWith("project/") ? file.slice("project/".length) : file);

const own = []; // { where, severity, code, message, formatted }
const ignored = new Map(); // "npm/<pkg>@<ver>" -> count
const seen = new Set(); // a source compiled in several jobs reports the same warning once per job

for (const outFile of outputFiles) {
  const out = JSON.parse(readFileSync(outFile, "utf8"));
  const entries = out.output?.errors ?? [];
  if (entries.length === 0) continue;
  const inFile = outFile.replace(/\.output\.json$/, ".json");
  const sources = existsSync(inFile) ? JSON.parse(readFileSync(inFile, "utf8")).input?.sources : undefined;

  for (const e of entries) {
    if (e.severity !== "warning" && e.severity !== "error") continue; // "info" entries are not failures
    const file = e.sourceLocation?.file;
    if (file && isDependency(file)) {
      const pkg = file.match(/^npm\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? file;
      ignored.set(pkg, (ignored.get(pkg) ?? 0) + 1);
      continue;
    }
    // Test contracts run in the test VM, which has no code-size limit: their size warnings (5574 runtime code,
    // 3860 initcode) say nothing about what is deployed. Every other warning of a test contract still fails.
    if (file && file.startsWith("project/test/") && (e.errorCode === "5574" || e.errorCode === "3860")) {
      ignored.set("test-contract code size", (ignored.get("test-contract code size") ?? 0) + 1);
      continue;
    }
    // Everything else is ours: project/ sources, and warnings solc could not attribute to a file.
    const where = file
      ? `${displayPath(file)}:${lineCol(sources, file, e.sourceLocation.start) ?? "?"}`
      : "(no source location)";
    const key = `${where}|${e.errorCode}|${e.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    own.push({ where, severity: e.severity, code: e.errorCode, message: e.message, formatted: e.formattedMessage });
  }
}

// 3. Report.
const ignoredTotal = [...ignored.values()].reduce((a, b) => a + b, 0);
const ignoredNote = ignoredTotal
  ? `ignored ${ignoredTotal} dependency warning(s): ${[...ignored].map(([p, n]) => `${p} x${n}`).join(", ")}`
  : "no dependency warnings";

if (own.length > 0) {
  console.error(`\n${tag}: FAIL: ${own.length} solc warning(s)/error(s) in the project's own sources:\n`);
  for (const w of own) {
    console.error(`  ${w.where}: ${w.severity}${w.code ? ` ${w.code}` : ""}: ${w.message}`);
  }
  if (verbose) for (const w of own) if (w.formatted) console.error(`\n${w.formatted.trimEnd()}`);
  console.error(`\n(${ignoredNote}; checked ${outputFiles.length} build-info output file(s))`);
  process.exit(1);
}

console.log(
  `${tag}: OK: no solc warnings in project sources (${ignoredNote}; checked ${outputFiles.length} build-info output file(s))`,
);
