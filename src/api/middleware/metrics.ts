import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { IndexerView } from "../deps.js";

/** Prometheus metrics of the API and of the indexer behind it. */
export function createMetrics(indexer: IndexerView) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "drl_" });
  const requests = new Counter({ name: "drl_http_requests_total", help: "HTTP requests", labelNames: ["method", "route", "status"], registers: [registry] });
  const duration = new Histogram({
    name: "drl_http_request_duration_seconds",
    help: "HTTP request duration",
    labelNames: ["method", "route"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  new Gauge({ name: "drl_indexer_checkpoint_block", help: "Last indexed block", registers: [registry], collect() { this.set(indexer.status().checkpoint.block); } });
  new Gauge({ name: "drl_indexer_head_block", help: "Chain head seen by the indexer", registers: [registry], collect() { this.set(indexer.status().head); } });
  new Gauge({
    name: "drl_indexer_lag_blocks",
    help: "Blocks between the head and the checkpoint",
    registers: [registry],
    collect() {
      const s = indexer.status();
      this.set(Math.max(0, s.head - s.checkpoint.block));
    },
  });
  return {
    registry,
    observe(method: string, route: string, status: number, seconds: number) {
      requests.inc({ method, route, status: String(status) });
      duration.observe({ method, route }, seconds);
    },
  };
}
export type ApiMetrics = ReturnType<typeof createMetrics>;
