/**
 * Measures the gas of every write (core, market, supervision) and writes the README's gas table (between the gas markers).
 * Run: `npm run gas` (builds with the production profile, the one deployments use).
 */
import { readFile, writeFile } from "node:fs/promises";
import { network } from "hardhat";
import { measureCoreGas, EAS_ATTEST_ANCHOR, ERC721_MINT_ANCHOR, type GasRow } from "./gas/scenario.js";
import { measureSupervisionGas } from "./gas/supervision.js";

const fmt = (n: bigint): string => n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");

function table(rows: GasRow[]): string {
  const lines = [
    "| write | gas | target | vs ERC-721 mint (68,759) | vs EAS attest (272,401) | note |",
    "|---|---:|---:|---:|---:|---|",
  ];
  for (const r of rows) {
    const verdict = r.target === undefined ? "" : r.gas <= r.target ? " ✅" : " ❌";
    const target = r.target !== undefined ? `≤ ${fmt(r.target)}` : r.aboveAnchor !== undefined ? `≤ ${fmt(r.budget)} (budget)` : "≤ 272,401";
    const vsMint = (Number(r.gas) / Number(ERC721_MINT_ANCHOR)).toFixed(2) + "×";
    const vsEas = (Number(r.gas) / Number(EAS_ATTEST_ANCHOR)).toFixed(2) + "×";
    const ceiling = r.gas <= EAS_ATTEST_ANCHOR ? "" : r.aboveAnchor !== undefined ? ` (above the EAS anchor: ${r.aboveAnchor})` : " (above the EAS anchor!)";
    lines.push(`| ${r.op} | ${fmt(r.gas)}${verdict} | ${target} | ${vsMint} | ${vsEas} | ${(r.note ?? "") + ceiling} |`);
  }
  return lines.join("\n");
}

const { ethers } = await network.create();
const rows = await measureCoreGas(ethers);
const supervision = await measureSupervisionGas(ethers);
const md = `${table(rows)}\n\nSupervision (reports, disputes, sanctions, severe actions):\n\n${table(supervision)}`;
console.log(md);

const readmePath = new URL("../README.md", import.meta.url);
const readme = await readFile(readmePath, "utf8");
const start = "<!-- gas:start -->";
const end = "<!-- gas:end -->";
const i = readme.indexOf(start);
const j = readme.indexOf(end);
if (i < 0 || j < i) {
  console.error("README.md has no gas markers; table not written");
  process.exitCode = 1;
} else {
  const stamp = `Measured by \`npm run gas\` (solc 0.8.37, production profile: optimizer 200 runs, viaIR), ${new Date().toISOString().slice(0, 10)}.`;
  await writeFile(readmePath, `${readme.slice(0, i + start.length)}\n${stamp}\n\n${md}\n${readme.slice(j)}`);
  console.log("README.md gas table updated");
}
