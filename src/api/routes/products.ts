import { z } from "zod";
import { Domain } from "../../domain/enums.js";
import { getProduct, listProducts, productLineage } from "../../services/products.js";
import { defineRoute } from "../route.js";
import { Address, At, Id, page, pageQuery } from "../schemas.js";

const Product = z
  .object({
    id: z.string(),
    holder: z.string(),
    kind: z.string(),
    delivery: z.string(),
    domain: z.string(),
    depth: z.number(),
    environmentHash: z.string(),
    metadataHash: z.string(),
    uri: z.string(),
    inputs: z.array(z.object({ kind: z.string(), id: z.string(), grantId: z.string(), shareBps: z.number() }).strict()),
    operatorBps: z.number(),
    publicBps: z.number(),
    frozen: z.boolean(),
    cancelled: z.boolean(),
    registered: At,
    updated: At,
  })
  .strict();
const params = z.object({ productId: Id }).strict();

export const productRoutes = (maxPage: number) => [
  defineRoute({
    method: "get",
    path: "/v1/products",
    operationId: "listProducts",
    summary: "Data products; the public sees those with no important-grade or personal data upstream",
    tag: "products",
    audience: "public",
    query: z.object({ domain: z.enum(Object.keys(Domain) as [string, ...string[]]).optional(), holder: Address.optional(), ...pageQuery(maxPage) }).strict(),
    response: page(Product),
    handler: ({ query, caller, deps }) => listProducts(deps.db, caller, query, { cursor: query.cursor, limit: query.limit ?? 20 }),
  }),
  defineRoute({
    method: "get",
    path: "/v1/products/:productId",
    operationId: "getProduct",
    summary: "One product, with its inputs and share policy",
    tag: "products",
    audience: "public",
    errors: [404],
    params,
    query: z.object({}).strict(),
    response: Product,
    handler: ({ params, caller, deps }) => getProduct(deps.db, caller, BigInt(params.productId)),
  }),
  defineRoute({
    method: "get",
    path: "/v1/products/:productId/lineage",
    operationId: "getProductLineage",
    summary: "Lineage as nodes and edges: ancestors and descendants up to ?depth= (default 3, at most 8)",
    tag: "products",
    audience: "public",
    errors: [404],
    params,
    query: z.object({ depth: z.string().regex(/^[1-8]$/, "must be 1 to 8").transform(Number).optional() }).strict(),
    response: z
      .object({
        productId: z.string(),
        depth: z.number(),
        nodes: z.array(z.object({ key: z.string(), kind: z.string(), id: z.string(), depth: z.number(), visible: z.boolean() }).strict()),
        edges: z.array(z.object({ from: z.string(), to: z.string(), grantId: z.string().nullable() }).strict()),
        truncated: z.boolean(),
      })
      .strict(),
    handler: ({ params, query, caller, deps }) => productLineage(deps.db, caller, BigInt(params.productId), query.depth ?? 3),
  }),
];
