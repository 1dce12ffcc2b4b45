import type { z } from "zod";
import type { RoleName } from "../domain/roles.js";
import type { ApiDeps } from "./deps.js";

/** Who is calling: an authenticated member (roles read from the index on every request), or nobody. */
export interface Caller {
  address: string;
  roles: readonly RoleName[];
  isRegulator: boolean;
}

/** Who may call a route at all; finer rules (own vs others') live in the use cases. */
export type Audience = "public" | "member" | "regulator";

/**
 * A route declared once: its path, schemas and handler. The app registers it with validation, authentication and
 * error mapping; the OpenAPI document is generated from the same schemas.
 */
export interface RouteSpec<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  method: "get" | "post";
  /** Express path, e.g. /v1/grants/:grantId. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  audience: Audience;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  /** Largest JSON body accepted (default 32kb). */
  bodyLimit?: string;
  /** The error statuses this route documents besides the common ones. */
  errors?: readonly number[];
  handler: (input: { params: z.infer<P>; query: z.infer<Q>; body: z.infer<B>; caller: Caller | null; deps: ApiDeps }) => Promise<z.infer<R> | SerializedJson<z.infer<R>>>;
}

/**
 * A response body already serialized, for a use case that assembles it from JSON values stored in the index
 * (parsing and re-serializing a page of 50 trace entries cost a third of the request in the API bench).
 * `T` is the shape the text holds.
 */
export class SerializedJson<T> {
  declare readonly shape?: T;
  constructor(readonly text: string) {}
}

// A route of any schema types (for arrays of routes).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteSpec<any, any, any, any>;

export const defineRoute = <P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(spec: RouteSpec<P, Q, B, R>): RouteSpec<P, Q, B, R> => spec;
