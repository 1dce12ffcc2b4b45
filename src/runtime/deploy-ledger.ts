import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Wallet } from "ethers";
import { NonRetryableError } from "../common/errors.js";
import type { Logger } from "../common/logger.js";
import type { Deployment } from "../chain/contracts.js";
import { readDeploymentFile, writeDeploymentFile } from "../chain/deployment-file.js";
import type { Eip1193 } from "../chain/rpc.js";

const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

async function hasCode(rpc: Eip1193, address: string): Promise<boolean> {
  const code = (await rpc.request({ method: "eth_getCode", params: [address, "latest"] })) as string;
  return code !== "0x" && code !== "0x0";
}

/**
 * The ledger's deployment on this network: the one recorded in the deployment file when its contracts are there,
 * otherwise a new one made with the Ignition module deploy/modules/Ledger.ts (the same module for every network).
 * Ignition's journal makes a retried deployment resume rather than deploy twice.
 */
export async function ensureDeployed(o: { rpc: Eip1193; rpcUrl: string; chainId: number; deploymentFile: string; deployer: Wallet | undefined; logger: Logger }): Promise<{ deployment: Deployment; created: boolean }> {
  if (existsSync(o.deploymentFile)) {
    const d = await readDeploymentFile(o.deploymentFile);
    if (d.chainId !== BigInt(o.chainId)) throw new NonRetryableError("DRL-DEPLOYMENT-CHAIN", `${o.deploymentFile} is for chain ${d.chainId}, the node is chain ${o.chainId}`);
    const present = await Promise.all(Object.values(d.addresses).map((a) => hasCode(o.rpc, a)));
    if (present.every(Boolean)) return { deployment: d, created: false };
    throw new NonRetryableError("DRL-DEPLOYMENT-MISSING", `${o.deploymentFile} names contracts this chain does not have (was the chain reset?). Move the data directory aside to start afresh.`);
  }
  if (!o.deployer) throw new NonRetryableError("DRL-DEPLOY-KEY", `no deployment file ${o.deploymentFile} and no deployer key to make one (DRL_DEPLOYER_KEY_FILE)`);
  const deployer = o.deployer;
  const genesis = (await o.rpc.request({ method: "eth_getBlockByNumber", params: ["0x0", false] })) as { hash: string };
  const deploymentId = `drl-${o.chainId}-${genesis.hash.slice(2, 14)}`;
  const before = Number(await o.rpc.request({ method: "eth_blockNumber" }));
  o.logger.info("deploying the ledger with Ignition", { deploymentId, deployer: deployer.address });
  const cli = join(dirname(require.resolve("hardhat/package.json")), "dist", "src", "cli.js");
  const out: string[] = [];
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, [cli, "ignition", "deploy", "deploy/modules/Ledger.ts", "--network", "drl", "--deployment-id", deploymentId, "--build-profile", "production"], {
      cwd: ROOT,
      env: { ...process.env, DRL_RPC_URL: o.rpcUrl, DRL_DEPLOYER_KEY: deployer.privateKey, HARDHAT_IGNITION_CONFIRM_DEPLOYMENT: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", (d: Buffer) => out.push(d.toString()));
    child.stderr.on("data", (d: Buffer) => out.push(d.toString()));
    child.once("error", reject);
    child.once("exit", (c) => resolve(c ?? 1));
  });
  if (code !== 0) throw new NonRetryableError("DRL-DEPLOY", `Ignition deployment failed (exit ${code}):\n${out.join("").slice(-3_000)}`);
  const addresses = JSON.parse(await readFile(join(ROOT, "deploy", "deployments", deploymentId, "deployed_addresses.json"), "utf8")) as Record<string, string>;
  const pick = (name: string): string => {
    const a = addresses[`Ledger#${name}`];
    if (!a) throw new NonRetryableError("DRL-DEPLOY", `Ignition recorded no address for ${name}`);
    return a;
  };
  const deployment: Deployment = {
    chainId: BigInt(o.chainId),
    // No ledger log can come before the first deployment transaction.
    deploymentBlock: before + 1,
    addresses: {
      MemberRegistry: pick("MemberRegistry"),
      ResourceRegistry: pick("ResourceRegistry"),
      GrantRegistry: pick("GrantRegistry"),
      OperationRegistry: pick("OperationRegistry"),
      ConsentRegistry: pick("ConsentRegistry"),
      ProductRegistry: pick("ProductRegistry"),
      AdmissionRegistry: pick("AdmissionRegistry"),
      Market: pick("Market"),
      ReportRegistry: pick("ReportRegistry"),
      DisputeRegistry: pick("DisputeRegistry"),
      Sanctions: pick("Sanctions"),
      SevereActions: pick("SevereActions"),
    },
  };
  await writeDeploymentFile(o.deploymentFile, deployment);
  o.logger.info("ledger deployed", { deploymentId, ...deployment.addresses });
  return { deployment, created: true };
}
