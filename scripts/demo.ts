/**
 * `npm run demo`: plays a scenario drawn from the seed document against a running ledger (`npm start` first), with
 * the members' own keys, and prints where to look in the API and which evidence bundle to pull.
 * Configuration: the same DRL_* variables as `npm start` (data directory, RPC URL, API host and port).
 */
import { JsonRpcProvider } from "ethers";
import { readDeploymentFile } from "../src/chain/deployment-file.js";
import { errorMessage } from "../src/common/errors.js";
import { loadConfig } from "../src/runtime/config.js";
import { readKeyFile } from "../src/runtime/keys.js";
import { admitCast, deriveActors } from "../src/demo/actors.js";
import { connectLedger } from "../src/demo/ledger.js";
import { playMarket } from "../src/demo/market-story.js";
import { playSupervision } from "../src/demo/supervision-story.js";
import { printGuide } from "../src/demo/guide.js";

async function main(): Promise<void> {
  const config = loadConfig();
  const rpcUrl = config.rpcUrl ?? `http://127.0.0.1:${config.nodePort}`;
  const apiUrl = `http://${config.apiHost}:${config.apiPort}`;
  // No request cache: two writes by one key within 250 ms would otherwise be given the same nonce.
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true, pollingInterval: 200, cacheTimeout: -1 });
  const deployment = await readDeploymentFile(config.deploymentFile).catch((e: unknown) => {
    throw new Error(`no deployment at ${config.deploymentFile}: start the ledger first (npm start). ${errorMessage(e)}`);
  });
  const governance = await readKeyFile(config.deployerKeyFile);
  const actors = deriveActors(governance.privateKey, provider);
  const ledger = connectLedger(deployment, actors.governance);
  const round = new Date().toISOString();
  let step = 0;
  const say = (line: string) => process.stdout.write(`  [${String(++step).padStart(2, "0")}] ${line}\n`);

  process.stdout.write(`DataRights Ledger demo against ${rpcUrl} (chain ${deployment.chainId})\n`);
  // The embedded node funds accounts on request; another network needs the governance key to pay.
  const fund = async (address: string) => {
    if ((await provider.getBalance(address)) >= 10n ** 18n) return;
    if (config.embedded) await provider.send("anvil_setBalance", [address, "0x" + (10n ** 21n).toString(16)]);
    else await (await actors.governance.sendTransaction({ to: address, value: 10n ** 18n })).wait();
  };
  await admitCast(ledger, actors, fund, say);
  const market = await playMarket(ledger, actors, round, say);
  const supervision = await playSupervision(ledger, actors, market, round, say);
  printGuide({ apiUrl, market, supervision }, (line) => process.stdout.write(line + "\n"));
  provider.destroy();
}

main().catch((e: unknown) => {
  process.stderr.write(`demo: ${errorMessage(e)}\n`);
  process.exit(1);
});
