import { resolve } from "node:path";
import { z } from "zod";
import { NonRetryableError } from "../common/errors.js";

const port = z.coerce.number().int().min(1).max(65_535);
const schema = z
  .object({
    DRL_DATA_DIR: z.string().min(1).default("./data"),
    DRL_RPC_URL: z.url().optional(),
    DRL_CHAIN_ID: z.coerce.number().int().positive().optional(),
    DRL_DEPLOYMENT: z.string().min(1).optional(),
    DRL_DEPLOYER_KEY_FILE: z.string().min(1).optional(),
    DRL_NODE_PORT: port.default(8545),
    DRL_API_HOST: z.string().min(1).default("127.0.0.1"),
    DRL_API_PORT: port.default(8080),
    DRL_API_DOMAIN: z.string().min(1).optional(),
    DRL_CONFIRMATIONS: z.coerce.number().int().min(0).max(1_000).default(0),
    DRL_REORG_WINDOW: z.coerce.number().int().min(1).max(100_000).default(64),
    DRL_SNAPSHOT_SECONDS: z.coerce.number().min(0.2).max(3_600).default(2),
    DRL_RATE_LIMIT: z.coerce.number().int().min(1).default(600),
    DRL_LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  })
  .superRefine((c, ctx) => {
    if (c.DRL_RPC_URL && c.DRL_CHAIN_ID === undefined) ctx.addIssue({ code: "custom", path: ["DRL_CHAIN_ID"], message: "is required with DRL_RPC_URL" });
    if (c.DRL_RPC_URL && !c.DRL_DEPLOYMENT && !c.DRL_DEPLOYER_KEY_FILE) {
      ctx.addIssue({ code: "custom", path: ["DRL_DEPLOYMENT"], message: "with DRL_RPC_URL, give the deployment file (DRL_DEPLOYMENT) or a deployer key (DRL_DEPLOYER_KEY_FILE) to deploy" });
    }
  });

export type RuntimeConfig = ReturnType<typeof loadConfig>;

/**
 * The configuration of `npm start`, from the environment, validated up front so a typo fails at once with the
 * variable's name. With no DRL_RPC_URL it runs the embedded node; with one, it uses that network and starts none.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new NonRetryableError("DRL-CONFIG", `invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`);
  }
  const c = parsed.data;
  const dataDir = resolve(c.DRL_DATA_DIR);
  return {
    dataDir,
    embedded: c.DRL_RPC_URL === undefined,
    rpcUrl: c.DRL_RPC_URL,
    chainId: c.DRL_CHAIN_ID ?? 31337,
    deploymentFile: c.DRL_DEPLOYMENT ? resolve(c.DRL_DEPLOYMENT) : resolve(dataDir, "deployment.json"),
    deployerKeyFile: c.DRL_DEPLOYER_KEY_FILE ? resolve(c.DRL_DEPLOYER_KEY_FILE) : resolve(dataDir, "keys", "governance.key"),
    nodePort: c.DRL_NODE_PORT,
    apiHost: c.DRL_API_HOST,
    apiPort: c.DRL_API_PORT,
    apiDomain: c.DRL_API_DOMAIN ?? `${c.DRL_API_HOST}:${c.DRL_API_PORT}`,
    confirmations: c.DRL_CONFIRMATIONS,
    reorgWindow: c.DRL_REORG_WINDOW,
    snapshotSeconds: c.DRL_SNAPSHOT_SECONDS,
    rateLimit: c.DRL_RATE_LIMIT,
    logLevel: c.DRL_LOG_LEVEL,
  };
}
