/** `drl help`: generated from the command table, plus the conventions every command shares. */
import type { CommandSpec } from "./context.js";

export const EVIDENCE_USAGE = [
  "  evidence verify FILE (--trusted-hash 0x… | --trusted-rpc URL)   verify a bundle offline against a block hash you trust",
  "  evidence pull --api URL --token TOKEN (--subject 0x… | --dispute ID) --out FILE   download a subject's or a dispute's bundle from the API",
  "  evidence build (--subject 0x… | --dispute ID) [--data-dir ./data] --out FILE      build a bundle from the local index and node (operators)",
];

export function helpText(commands: readonly CommandSpec[], group?: string): string {
  const groups = [...new Set(commands.map((c) => c.group))];
  const shown = group ? groups.filter((g) => g === group) : groups;
  const lines: string[] = [
    "drl: the DataRights Ledger members' command line",
    "",
    "usage: drl GROUP COMMAND [ARGS] [OPTIONS]      (npm run drl -- …, or node --import tsx scripts/drl.ts …)",
    "       drl help [GROUP]",
    "",
  ];
  for (const g of shown) {
    lines.push(`${g}:`);
    for (const c of commands.filter((x) => x.group === g)) {
      lines.push(`  ${g} ${c.name} ${c.usage}`.trimEnd());
      lines.push(`      ${c.summary}`);
      for (const d of c.details ?? []) lines.push(`      ${d}`);
    }
    lines.push("");
  }
  if (!group || group === "evidence") lines.push("evidence:", ...EVIDENCE_USAGE, "");
  if (!group) {
    lines.push(
      "global options (every command):",
      "  --keystore FILE     the encrypted keystore that signs (env DRL_KEYSTORE); writes only",
      "  --rpc URL           the node (env DRL_RPC_URL; default http://127.0.0.1:8545)",
      "  --deployment FILE   the deployment file (env DRL_DEPLOYMENT; default ./data/deployment.json)",
      "  --json              one JSON document on stdout instead of human lines (errors too: {ok:false, exitCode, error})",
      "",
      "keys: a key is never taken on the command line. The passphrase comes from DRL_PASSPHRASE, or is typed at",
      "  a prompt without echo. Keystores are Ethereum JSON wallets (scrypt); DRL_KEYSTORE_FAST=1 makes new ones",
      "  with cheap scrypt parameters (tests, throwaway keys only). drl key import turns the runtime's",
      "  data/keys/governance.key into a keystore.",
      "",
      "hashes (terms, reason, evidence, catalogue, org, credential, scenario, conditions, report, commitment, environment,",
      "  metadata, description, settlement, delivery, claim, ruling, grounds), each given exactly one way:",
      "  --X TEXT            keccak256 of the UTF-8 text        e.g. --reason \"late filing, notice 2027/14\"",
      "  --X-file PATH       keccak256 of the file's bytes      e.g. --terms-file licence.pdf",
      "  --X-hash 0x…        the 32-byte hash itself            e.g. --catalogue-hash 0x5f…",
      "",
      "values: roles GOVERNANCE, REGULATOR, HOLDER, PROCESSOR, OPERATOR, CERTIFIER, ARBITER (any case); enum names",
      "  any case, dashes/underscores ignored, or their numbers; ids are decimal; durations 604800, 12h, 7d, 2w.",
      "  market amounts are whole numbers in the currency's minor unit (fen for CNY); currencies are ISO 4217 codes (CNY);",
      "  money settles off-chain: the ledger records trades and who is owed what (drl market owed).",
      "  supervision subjects are kind:id (resource:3, grant:7, product:2, consent:4, authorization:1, member:0x…) or a",
      "  32-byte subject key; a sanction's or severe action's --cause is report:ID or dispute:ID.",
      "",
      "a refusal is explained: the custom error is decoded with the ABIs of all the ledger's contracts (member-registry",
      "  errors surface through the resource and grant registries) and shown with its arguments and a sentence, e.g.",
      "  drl: refused: 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 is an active member but lacks the REGULATOR role this action needs.",
      "",
      "exit codes:",
      "  0  ok",
      "  1  the chain refused (a revert, decoded; a node refusing the transaction) or a network failure",
      "  2  bad usage or input (unknown command or option, a malformed value, a deployment that does not match the node)",
      "  3  key or passphrase problem (no keystore given, unreadable or not a keystore, wrong or missing passphrase)",
      "  resource import: 0 every row registered; 1 a row refused by the chain, or interrupted (run it again to resume);",
      "  2 only bad input rows",
    );
  }
  return lines.join("\n") + "\n";
}
