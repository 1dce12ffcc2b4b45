#!/usr/bin/env node
// `npx drl …`: runs the TypeScript CLI (scripts/drl.ts) under tsx with the Node that runs this file, passing the
// arguments, the standard streams and the exit code through.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const r = spawnSync(process.execPath, ["--import", "tsx", join(here, "drl.ts"), ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(r.status ?? 1);
