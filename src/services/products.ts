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

const parsed = <T>(raw: string | undefined): T | undefined => (raw === undefined ? undefined : (JSON.parse(raw) as T));

type Node = { key: string; kind: string; id: string; depth: number; visible: boolean };

/** A lineage edge into a product: the input's subject key, kind and id, and the grant it was used under. */
type InputEdge = [key: string, kind: string, id: string, grantId: string];

/** A product's inputs as lineage edges in key order, as the `lin-up:` index lists them (K.productInputs). */
function inputEdges(db: IndexDb, productId: string): InputEdge[] {
  const raw = getRaw(db, K.productInputs(BigInt(productId)));
  if (raw === undefined) throw new IntegrityError("DRL-INDEX-LINEAGE", `the inputs of product ${productId} are missing from the index`);
  return JSON.parse(raw) as InputEdge[];
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

/** What a lineage walk keeps: each product record parsed at most once, and only when visibility needs it. */
interface Walk {
  db: IndexDb;
  caller: Caller | null;
  products: Map<string, ProductRecord | undefined>;
}

// Module functions rather than closures per walk: under tsx (npm start) every closure made is also named, on the
// API's hottest paths (issue 6's bench).
function productOf(w: Walk, pid: string): ProductRecord | undefined {
  if (!w.products.has(pid)) w.products.set(pid, parsed<ProductRecord>(getRaw(w.db, K.product(BigInt(pid)))));
  return w.products.get(pid);
}

async function describe(w: Walk, key: string, kind: string, sid: string, depth: number): Promise<Node> {
  let visible = false;
  if (w.caller?.isRegulator) {
    // A regulator reads everything, and a node reached by a lineage edge exists: the registry checks a product's
    // inputs when it is registered, and the index never deletes a record (only a rollback, with its edges).
    visible = true;
  } else if (kind === "Product") {
    const p = productOf(w, sid);
    visible = p !== undefined && (await canReadProduct(w.db, w.caller, p));
  } else {
    const r = await getJson<ResourceRecord>(w.db, K.resource(BigInt(sid)));
    visible = r !== undefined && (await canReadResource(records(w.db), w.caller, r));
  }
  return { key, kind, id: sid, depth, visible };
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
  const walk: Walk = { db, caller, products: new Map([[root.id, root]]) };
  // Up: inputs of each product, breadth first.
  let frontier: { key: string; id: string }[] = [{ key: rootKey, id: root.id }];
  for (let d = 1; d <= maxDepth && frontier.length > 0 && !truncated; d++) {
    const next: { key: string; id: string }[] = [];
    for (const f of frontier) {
      for (const [input, kind, sid, grant] of inputEdges(db, f.id)) {
        edges.push({ from: input, to: f.key, grantId: grant });
        if (!nodes.has(input)) {
          if (nodes.size >= limit) {
            truncated = true;
            break;
          }
          const n = await describe(walk, input, kind === "Product" ? "Product" : "Resource", sid, -d);
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
          nodes.set(key, await describe(walk, key, "Product", productId, d));
          next.push({ key, id: productId });
        }
      }
    }
    frontier = next;
  }
  return { productId: root.id, depth: maxDepth, nodes: [...nodes.values()], edges, truncated };
}
