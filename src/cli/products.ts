/** `drl product …`: every write of ProductRegistry (register, freeze, unfreeze, cancel) and `product show` with lineage. */
import { DeliveryMode, Domain, ProductKind, SubjectKind, nameOf } from "../domain/enums.js";
import { UsageError } from "./errors.js";
import { hashArg, hashOptions, hashUsage, parseEnum, parseId, parseUint, positionals } from "./args.js";
import { eventOf, reportWrite, type CommandSpec, type Context } from "./context.js";
import { subjectEvents } from "./logs.js";
import { table } from "./output.js";

interface ProductState {
  holder: string;
  depth: bigint;
  delivery: bigint;
  inputCount: bigint;
  frozen: boolean;
  cancelled: boolean;
  sensitive: boolean;
  hasPublic: boolean;
  operatorBps: bigint;
  publicBps: bigint;
}
interface ProductInput {
  kind: number;
  id: bigint;
  grantId: bigint;
  shareBps: number;
}

/** `KIND:ID:GRANT:BPS`, e.g. resource:3:7:6000 (the input, the processing-use grant you hold on it, its share). */
export function parseInput(v: string): ProductInput {
  const parts = v.split(":");
  if (parts.length !== 4) throw new UsageError(`--input must be KIND:ID:GRANT:BPS (e.g. resource:3:7:6000), got ${JSON.stringify(v)}`);
  const kind = parseEnum(SubjectKind, parts[0], "--input kind");
  if (kind !== SubjectKind.Resource && kind !== SubjectKind.Product) throw new UsageError(`an --input is a resource or a product, not ${parts[0]}`);
  return { kind, id: parseId(parts[1], "--input id"), grantId: parseId(parts[2], "--input grant"), shareBps: Number(parseUint(parts[3], "--input share (basis points)", 16)) };
}

async function productState(ctx: Context, id: bigint): Promise<ProductState> {
  const [p] = await ctx.view("ProductRegistry", "getProduct", [id]);
  return p as unknown as ProductState;
}

async function inputsOf(ctx: Context, id: bigint, count: number): Promise<ProductInput[]> {
  const out: ProductInput[] = [];
  for (let i = 0; i < count; i++) {
    const [input] = await ctx.view("ProductRegistry", "getInput", [id, i]);
    const x = input as unknown as { kind: bigint; id: bigint; grantId: bigint; shareBps: bigint };
    out.push({ kind: Number(x.kind), id: x.id, grantId: x.grantId, shareBps: Number(x.shareBps) });
  }
  return out;
}

const pct = (bps: number | bigint) => `${(Number(bps) / 100).toFixed(2)}%`;

function productChange(name: "freeze" | "unfreeze" | "cancel", summary: string, past: string): CommandSpec {
  return {
    group: "product",
    name,
    usage: `ID ${hashUsage("reason")}`,
    summary,
    options: hashOptions("reason"),
    async run(ctx, { values, positionals: p }) {
      const [i] = positionals(p, ["ID"]);
      const id = parseId(i, "ID");
      const reason = await hashArg(values, "reason");
      const w = await ctx.write("ProductRegistry", name, [id, reason]);
      reportWrite(ctx, `product ${name}`, w, `${past} product ${id}`, { productId: id, reasonHash: reason });
    },
  };
}

/** A lineage node: an input of a product, with its own inputs when it is a product and the depth allows. */
interface LineageNode {
  kind: string;
  id: bigint;
  grantId: bigint;
  shareBps: number;
  inputs: LineageNode[];
}

/** The ancestors of a product, depth first, at most `maxDepth` levels and `budget.left` nodes (the DAG is bounded by the contract, but wide). */
async function ancestors(ctx: Context, inputs: readonly ProductInput[], depth: number, maxDepth: number, budget: { left: number; truncated: boolean }): Promise<LineageNode[]> {
  const out: LineageNode[] = [];
  for (const i of inputs) {
    if (budget.left-- <= 0) {
      budget.truncated = true;
      break;
    }
    const node: LineageNode = { kind: nameOf(SubjectKind, i.kind), id: i.id, grantId: i.grantId, shareBps: i.shareBps, inputs: [] };
    if (i.kind === SubjectKind.Product) {
      if (depth < maxDepth) {
        const p = await productState(ctx, i.id);
        node.inputs = await ancestors(ctx, await inputsOf(ctx, i.id, Number(p.inputCount)), depth + 1, maxDepth, budget);
      } else budget.truncated = true;
    }
    out.push(node);
  }
  return out;
}

function lineageLines(nodes: readonly LineageNode[], indent: string): string[] {
  return nodes.flatMap((n) => [`${indent}<- ${n.kind.toLowerCase()} ${n.id} under grant ${n.grantId} (share ${pct(n.shareBps)})`, ...lineageLines(n.inputs, indent + "   ")]);
}

export const PRODUCT_COMMANDS: CommandSpec[] = [
  {
    group: "product",
    name: "register",
    usage: `--kind KIND --delivery MODE --domain DOMAIN --input KIND:ID:GRANT:BPS [--input …] --operator-bps N [--public-bps N] ${hashUsage("environment")} ${hashUsage("metadata")} --uri URI`,
    summary: "register a data product over 1 to 4 inputs, each backed by a processing-use grant you hold (processor); you hold the product",
    details: [
      "--input resource:3:7:6000 = resource 3, under grant 7 you hold on it, with a 60.00% share; a product input is product:ID:GRANT:BPS",
      "shares: the inputs' shares + --operator-bps + --public-bps sum to 10000; a public share exactly when public data is upstream",
      `kinds: ${Object.keys(ProductKind).join(", ")}; delivery: ${Object.keys(DeliveryMode).join(", ")} (no RawExport over important-grade or personal data)`,
      "--environment: the processing environment's attestation; --metadata: the product description",
    ],
    options: {
      kind: { type: "string" },
      delivery: { type: "string" },
      domain: { type: "string" },
      input: { type: "string", multiple: true },
      "operator-bps": { type: "string" },
      "public-bps": { type: "string" },
      uri: { type: "string" },
      ...hashOptions("environment"),
      ...hashOptions("metadata"),
    },
    async run(ctx, { values, positionals: p }) {
      positionals(p, []);
      const raw = (values.input as string[] | undefined) ?? [];
      if (raw.length === 0) throw new UsageError("give at least one --input KIND:ID:GRANT:BPS");
      const inputs = raw.map(parseInput);
      if (typeof values.uri !== "string") throw new UsageError("--uri URI is required (where the product is described)");
      const spec = {
        kind: parseEnum(ProductKind, values.kind as string | undefined, "--kind"),
        delivery: parseEnum(DeliveryMode, values.delivery as string | undefined, "--delivery"),
        domain: parseEnum(Domain, values.domain as string | undefined, "--domain"),
        environmentHash: await hashArg(values, "environment"),
        metadataHash: await hashArg(values, "metadata"),
        uri: values.uri,
        operatorBps: Number(parseUint(values["operator-bps"] as string | undefined, "--operator-bps", 16)),
        publicBps: Number(parseUint((values["public-bps"] as string | undefined) ?? "0", "--public-bps", 16)),
      };
      const w = await ctx.write("ProductRegistry", "register", [spec, inputs]);
      const e = eventOf(w.events, "ProductRegistered");
      const id = e.args.productId as bigint;
      reportWrite(ctx, "product register", w, `registered product ${id} over ${inputs.map((i) => `${nameOf(SubjectKind, i.kind).toLowerCase()} ${i.id}`).join(", ")} (lineage depth ${e.args.depth as bigint})`, {
        productId: id,
        depth: e.args.depth as bigint,
        kind: nameOf(ProductKind, spec.kind),
        delivery: nameOf(DeliveryMode, spec.delivery),
        domain: nameOf(Domain, spec.domain),
        inputs: inputs.map((i) => ({ ...i, kind: nameOf(SubjectKind, i.kind) })),
        operatorBps: spec.operatorBps,
        publicBps: spec.publicBps,
      });
    },
  },
  productChange("freeze", "freeze a product: nothing over it or its descendants trades while it is (regulator)", "froze"),
  productChange("unfreeze", "unfreeze a product (regulator)", "unfroze"),
  productChange("cancel", "retire a product: nothing new is granted over it, grants over it stop being valid (its holder)", "cancelled"),
  {
    group: "product",
    name: "show",
    usage: "ID [--depth N]",
    summary: "a product: holder, spec, share policy, status, and its lineage up to --depth levels (default 3, at most 8)",
    details: ["descendants (products made from this one) are not kept on chain: ask the API, GET /v1/products/ID/lineage"],
    options: { depth: { type: "string" } },
    async run(ctx, { values, positionals: p }) {
      const [i] = positionals(p, ["ID"]);
      const id = parseId(i, "ID");
      const maxDepth = Number(parseUint((values.depth as string | undefined) ?? "3", "--depth", 8, 1n));
      if (maxDepth > 8) throw new UsageError("--depth is at most 8");
      const state = await productState(ctx, id);
      const direct = await inputsOf(ctx, id, Number(state.inputCount));
      const budget = { left: 200, truncated: false };
      const lineage = await ancestors(ctx, direct, 1, maxDepth, budget);
      const [registered] = await subjectEvents(ctx, "ProductRegistry", ["ProductRegistered"], id);
      const spec = registered?.args.spec as { kind: bigint; delivery: bigint; domain: bigint; uri: string; metadataHash: string; environmentHash: string } | undefined;
      const inputShare = direct.reduce((s, x) => s + x.shareBps, 0);
      const data = {
        productId: id,
        holder: state.holder,
        depth: Number(state.depth),
        kind: spec ? nameOf(ProductKind, spec.kind) : null,
        delivery: nameOf(DeliveryMode, state.delivery),
        domain: spec ? nameOf(Domain, spec.domain) : null,
        uri: spec?.uri ?? null,
        metadataHash: spec?.metadataHash ?? null,
        environmentHash: spec?.environmentHash ?? null,
        restricted: state.sensitive,
        frozen: state.frozen,
        cancelled: state.cancelled,
        shares: { inputsBps: inputShare, operatorBps: Number(state.operatorBps), publicBps: Number(state.publicBps) },
        lineage,
        lineageTruncated: budget.truncated,
      };
      ctx.out.result(data, [
        ...table([
          ["product", id],
          ["holder", state.holder],
          ["what", `${data.kind ?? "?"} in ${data.domain ?? "?"}, delivered by ${data.delivery}${data.uri ? `, ${data.uri}` : ""}`],
          ["status", data.cancelled ? "cancelled" : data.frozen ? "frozen by a regulator" : "active"],
          ["upstream data", state.sensitive ? "important-grade or personal (no raw export; not in the public catalogue)" : "general only"],
          ["shares", `inputs ${pct(inputShare)}, operator ${pct(state.operatorBps)}, public ${pct(state.publicBps)}`],
          ["lineage depth", data.depth],
        ]),
        `lineage (up to ${maxDepth} level${maxDepth > 1 ? "s" : ""}${budget.truncated ? ", cut short" : ""}):`,
        `   product ${id}`,
        ...lineageLines(lineage, "   "),
      ]);
    },
  },
];
