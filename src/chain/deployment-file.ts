import { readFile, writeFile, rename } from "node:fs/promises";
import { z } from "zod";
import { NonRetryableError } from "../common/errors.js";
import type { Deployment } from "./contracts.js";

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "an address");
const schema = z
  .object({
    chainId: z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]),
    deploymentBlock: z.number().int().nonnegative(),
    addresses: z.object({ MemberRegistry: address, ResourceRegistry: address, GrantRegistry: address, OperationRegistry: address, ConsentRegistry: address,
        ProductRegistry: address,
        AdmissionRegistry: address,
        Market: address,
        // Supervision contracts: absent from deployments made before they existed.
        ReportRegistry: address.optional(),
        DisputeRegistry: address.optional(),
        Sanctions: address.optional(),
        SevereActions: address.optional(),
      }).strict(),
  })
  .strict();

/** Reads and validates a deployment file ({ chainId, deploymentBlock, addresses }). */
export async function readDeploymentFile(path: string): Promise<Deployment> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, "utf8"));
  } catch (e) {
    throw new NonRetryableError("DRL-CONFIG-DEPLOYMENT", `cannot read deployment file ${path}: ${(e as Error).message}`, { cause: e });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new NonRetryableError("DRL-CONFIG-DEPLOYMENT", `invalid deployment file ${path}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  return { chainId: BigInt(parsed.data.chainId), deploymentBlock: parsed.data.deploymentBlock, addresses: parsed.data.addresses };
}

/** Writes a deployment file atomically (temporary file, then rename). */
export async function writeDeploymentFile(path: string, d: Deployment): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, JSON.stringify({ chainId: d.chainId.toString(), deploymentBlock: d.deploymentBlock, addresses: d.addresses }, null, 2) + "\n");
  await rename(tmp, path);
}
