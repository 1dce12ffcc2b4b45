import { SubjectKind } from "../domain/enums.js";
import { subjectKey } from "../domain/trace.js";
import type { ProductRecord, ResourceRecord } from "../indexer/records.js";
import type { Caller } from "../api/route.js";
import { notFound } from "../api/errors.js";
import { pageOf } from "../api/pagination.js";
import type { IndexDb } from "../store/db.js";
import { K } from "../store/keys.js";
import { getJson, getRaw } from "../queries/history.js";
import { IntegrityError } from "../common/errors.js";
import { records } from "../store/repositories/records.js";
import { canReadResource } from "./visibility.js";

/** A product is restricted (hidden from the public catalogue) when important-grade or personal data is upstream. */
export async function canReadProduct(db: IndexDb, caller: Caller | null, p: ProductRecord): Promise<boolean> {
  if (caller?.isRegulator || (caller && p.holder === caller.address)) return true;
  if (caller && (await records(db).isParty(caller.address, subjectKey(SubjectKind.Product, BigInt(p.id))))) return true;
  return !(await sensitive(db, p, 0));
}

async function sensitive(db: IndexDb, p: ProductRecord, depth: number): Promise<boolean> {
  if (depth > 8) return true;
  for (const i of p.inputs) {
    if (i.kind === "Resource") {
      const r = await getJson<ResourceRecord>(db, K.resource(BigInt(i.id)));
      if (!r || r.grade !== "General" || r.category === "Personal") return true;
    } else {
      const q = await getJson<ProductRecord>(db, K.product(BigInt(i.id)));
      if (!q || (await sensitive(db, q, depth + 1))) return true;
    }
  }
  return false;
}

async function visibleProduct(db: IndexDb, caller: Caller | null, id: bigint): Promise<ProductRecord> {
  const p = await getJson<ProductRecord>(db, K.product(id));
  if (!p || !(await canReadProduct(db, caller, p))) throw notFound(`product ${id}`);
  return p;
}

export async function listProducts(db: IndexDb, caller: Caller | null, filter: { domain?: string; holder?: string }, pageReq: { cursor?: string; limit: number }) {
  return pageOf(db, "prod:", pageReq, async (_k, v) => {
    const p = JSON.parse(v) as ProductRecord;
    if (filter.domain && p.domain !== filter.domain) return undefined;
    if (filter.holder && p.holder !== filter.holder) return undefined;
    return (await canReadProduct(db, caller, p)) ? p : undefined;
  });
}

export const getProduct = (db: IndexDb, caller: Caller | null, id: bigint) => visibleProduct(db, caller, id);

type Node = { key: string; kind: string; id: string; depth: number; visible: boolean };

/**
 * A product's inputs as lineage edges (input subject key, grant id) in key order, as the `lin-up:` index lists
 * them, but from the product's own record: a synchronous read instead of an iterator round trip per product.
 */
function inputEdges(p: ProductRecord | undefined): [string, string][] {
  if (!p) return [];
  const edges = p.inputs.map((i): [string, string] => [subjectKey(SubjectKind[i.kind as keyof typeof SubjectKind], BigInt(i.id)), i.grantId]);
  return edges.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
type Edge = { from: string; to: string; grantId: string | null };

/**
 * The products made from subject `key`, in registration order, by point reads of their numbers (K.lineageChild):
 * lazily, so a walk that stops at its node limit reads no further.
 */
function* childrenOf(db: IndexDb, key: string): Generator<string> {
  const n = Number(getRaw(db, K.lineageChildCount(key)) ?? "0");
  for (let i = 1; i <= n; i++) {
    const id = getRaw(db, K.lineageChild(key, i));
    if (id === undefined) throw new IntegrityError("DRL-INDEX-LINEAGE", `lineage child ${i} of ${n} of ${key} is missing from the index`);
    yield id;
  }
}

/**
 * The lineage of a product as nodes and edges, depth-limited: ancestors (its inputs, theirs, ...) and descendants
 * (products made from it, and from those). Nodes the caller may not read appear by key only.
 */
export async function productLineage(db: IndexDb, caller: Caller | null, id: bigint, maxDepth: number, limit = 500) {
  const root = await visibleProduct(db, caller, id);
  const rootKey = subjectKey(SubjectKind.Product, BigInt(root.id));
  const nodes = new Map<string, Node>([[rootKey, { key: rootKey, kind: "Product", id: root.id, depth: 0, visible: true }]]);
  const edges: Edge[] = [];
  let truncated = false;
  // Each product record parsed once per walk (a product is described, then its inputs are read from it).
  const products = new Map<string, ProductRecord | undefined>([[root.id, root]]);
  const productOf = async (pid: string) => {
    if (!products.has(pid)) products.set(pid, await getJson<ProductRecord>(db, K.product(BigInt(pid))));
    return products.get(pid);
  };
  const describe = async (key: string, depth: number): Promise<Node> => {
    const v = BigInt(key);
    const kind = Number(v >> 248n) === SubjectKind.Product ? "Product" : "Resource";
    const sid = (v & ((1n << 248n) - 1n)).toString();
    let visible = false;
    if (kind === "Product") {
      const p = await productOf(sid);
      visible = p !== undefined && (await canReadProduct(db, caller, p));
    } else if (caller?.isRegulator) {
      // A regulator reads every resource: only whether it exists matters, not its record.
      visible = getRaw(db, K.resource(BigInt(sid))) !== undefined;
    } else {
      const r = await getJson<ResourceRecord>(db, K.resource(BigInt(sid)));
      visible = r !== undefined && (await canReadResource(records(db), caller, r));
    }
    return { key, kind, id: sid, depth, visible };
  };
  // Up: inputs of each product, breadth first.
  let frontier: { key: string; id: string }[] = [{ key: rootKey, id: root.id }];
  for (let d = 1; d <= maxDepth && frontier.length > 0 && !truncated; d++) {
    const next: { key: string; id: string }[] = [];
    for (const f of frontier) {
      for (const [input, grant] of inputEdges(await productOf(f.id))) {
        edges.push({ from: input, to: f.key, grantId: grant });
        if (!nodes.has(input)) {
          if (nodes.size >= limit) {
            truncated = true;
            break;
          }
          const n = await describe(input, -d);
          nodes.set(input, n);
          if (n.kind === "Product") next.push({ key: input, id: n.id });
        }
      }
    }
    frontier = next;
  }
  // Down: products made from each node.
  frontier = [{ key: rootKey, id: root.id }];
  for (let d = 1; d <= maxDepth && frontier.length > 0 && !truncated; d++) {
    const next: { key: string; id: string }[] = [];
    for (const f of frontier) {
      for (const productId of childrenOf(db, f.key)) {
        const key = subjectKey(SubjectKind.Product, BigInt(productId));
        edges.push({ from: f.key, to: key, grantId: null });
        if (!nodes.has(key)) {
          if (nodes.size >= limit) {
            truncated = true;
            break;
          }
          nodes.set(key, await describe(key, d));
          next.push({ key, id: productId });
        }
      }
    }
    frontier = next;
  }
  return { productId: root.id, depth: maxDepth, nodes: [...nodes.values()], edges, truncated };
}
