#!/usr/bin/env node
// Checks that the EDR native binding installed for this platform has exactly the version of the
// @nomicfoundation/edr package Hardhat uses. A mismatched binding still loads silently (TOOLCHAIN.md A.2),
// so this must be checked explicitly, in CI and after any `npm install`.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const BINDING = "@nomicfoundation/edr-linux-x64-gnu";

function fail(msg) {
  console.error(`check-edr: FAIL: ${msg}`);
  process.exit(1);
}

// Finds `name`'s package.json by walking node_modules folders upward from `fromDir`, as Node's resolver does.
// (require.resolve("<pkg>/package.json") does not work here: @nomicfoundation/edr's "exports" hides it.)
function versionOf(name, fromDir) {
  for (let dir = path.resolve(fromDir); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name, "package.json");
    if (fs.existsSync(candidate)) {
      return { version: JSON.parse(fs.readFileSync(candidate, "utf8")).version, where: path.dirname(candidate) };
    }
    if (path.dirname(dir) === dir) return null;
  }
}

const root = path.resolve(__dirname, "..");

// Resolve @nomicfoundation/edr as Hardhat does (from hardhat's own folder), falling back to the root.
const hardhat = versionOf("hardhat", root);
if (!hardhat) fail("hardhat is not installed: run `npm ci` first");
const hardhatDir = hardhat.where;

const edr = versionOf("@nomicfoundation/edr", hardhatDir) ?? versionOf("@nomicfoundation/edr", root);
if (!edr) fail("@nomicfoundation/edr is not installed: run `npm ci` first");

if (process.platform !== "linux" || process.arch !== "x64") {
  console.log(
    `check-edr: skipped: ${BINDING} only applies to linux-x64 (this is ${process.platform}-${process.arch}); edr ${edr.version}`,
  );
  process.exit(0);
}

// Look for the binding next to @nomicfoundation/edr first (that is where edr's loader finds it).
const binding = versionOf(BINDING, edr.where) ?? versionOf(BINDING, root);
if (!binding) {
  fail(
    `${BINDING} is not installed (npm drops it as an optional dependency when it runs on Node < 22).\n` +
      `  Fix: keep "${BINDING}": "${edr.version}" in devDependencies and run \`npm ci\`.`,
  );
}

const wanted = require(path.join(root, "package.json")).devDependencies?.[BINDING];

if (binding.version !== edr.version) {
  fail(
    `${BINDING} is ${binding.version} but @nomicfoundation/edr is ${edr.version}.\n` +
      `  The binding must equal the EDR version Hardhat resolves (\`npm ls @nomicfoundation/edr\`).\n` +
      `  Fix: set "${BINDING}": "${edr.version}" in package.json devDependencies` +
      (wanted ? ` (currently "${wanted}")` : "") +
      `, then \`npm install\` and commit package-lock.json.`,
  );
}

// Finally, make sure the binding actually loads on this Node (it is a N-API .node file).
try {
  require(require.resolve("@nomicfoundation/edr", { paths: [hardhatDir] }));
} catch (e) {
  fail(`@nomicfoundation/edr ${edr.version} failed to load its native binding on Node ${process.version}: ${e.message}`);
}

console.log(`check-edr: OK: @nomicfoundation/edr ${edr.version} == ${BINDING} ${binding.version} (hardhat ${hardhat.version})`);
