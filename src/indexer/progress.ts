import type { Logger } from "../common/logger.js";

/** Catch-up progress: blocks/s, events/s and an ETA, as a bar on a terminal and as log lines otherwise. */
export interface Progress {
  update(p: { block: number; target: number; events: number }): void;
  done(): void;
}

export function createProgress(logger: Logger, startBlock: number, stream: NodeJS.WriteStream = process.stderr, everyMs = 2_000): Progress {
  const t0 = Date.now();
  let last = 0;
  let drawn = false;
  const tty = stream.isTTY === true && process.env.CI === undefined;
  return {
    update({ block, target, events }) {
      const now = Date.now();
      if (now - last < (tty ? 200 : everyMs) && block < target) return;
      last = now;
      const secs = Math.max((now - t0) / 1000, 1e-3);
      const blocks = block - startBlock;
      const bps = blocks / secs;
      const eps = events / secs;
      const left = Math.max(target - block, 0);
      const eta = bps > 0 ? left / bps : Infinity;
      const pct = target > startBlock ? Math.min(1, blocks / (target - startBlock)) : 1;
      if (tty) {
        const width = 30;
        const fill = Math.round(pct * width);
        stream.write(`\r[${"#".repeat(fill)}${".".repeat(width - fill)}] ${(pct * 100).toFixed(1)}% block ${block}/${target} ${bps.toFixed(0)} blk/s ${eps.toFixed(0)} ev/s ETA ${Number.isFinite(eta) ? eta.toFixed(0) + "s" : "?"}  `);
        drawn = true;
      } else {
        logger.info("indexer progress", { block, target, blocksPerSec: Math.round(bps), eventsPerSec: Math.round(eps), events, etaSec: Number.isFinite(eta) ? Math.round(eta) : null });
      }
    },
    done() {
      if (drawn) stream.write("\n");
    },
  };
}
