import type { Request } from "express";
import type { MemberRecord } from "../../indexer/records.js";
import { ROLE_NAMES, type RoleName } from "../../domain/roles.js";
import { K } from "../../store/keys.js";
import { getJson } from "../../queries/history.js";
import type { ApiDeps } from "../deps.js";
import { ApiError } from "../errors.js";
import type { Caller } from "../route.js";
import { verifyToken } from "./tokens.js";

/**
 * The caller of a request: none without an Authorization header; otherwise the member the token names, with its
 * roles read from the index now, so a suspension or a role change takes effect on the next request.
 */
export async function resolveCaller(req: Request, deps: ApiDeps): Promise<Caller | null> {
  const header = req.headers.authorization;
  if (header === undefined) return null;
  // The scheme is case-insensitive (RFC 7235 §2.1); the token's own characters already admit both cases.
  const m = /^Bearer ([A-Za-z0-9_\-.]{10,1024})$/i.exec(header);
  if (!m) throw new ApiError("UNAUTHENTICATED", "Authorization must be 'Bearer <token>'");
  const payload = verifyToken(deps.config.tokenSecret, m[1]!, deps.now());
  if (!payload) throw new ApiError("UNAUTHENTICATED", "the session token is invalid or has expired; sign in again");
  const caller = await memberNow(deps, payload.sub);
  if (!caller) throw new ApiError("UNAUTHENTICATED", "the signing member is not an active member of the ledger");
  return caller;
}

/**
 * The member's roles at the index's current checkpoint, or null if it is not an active member. Remembered per
 * checkpoint: every change to the index is a commit that moves the checkpoint (a new range, or a rollback to an
 * ancestor), so an answer is reused only while the index it was read from is unchanged, and a suspension or a role
 * change still takes effect on the first request after it is indexed. Saves a read and a parse per request.
 */
async function memberNow(deps: ApiDeps, account: string): Promise<Caller | null> {
  const { block, hash } = deps.indexer.status().checkpoint;
  const at = `${block}:${hash}`;
  let known = callers.get(deps);
  if (!known || known.at !== at) callers.set(deps, (known = { at, members: new Map() }));
  const hit = known.members.get(account);
  if (hit !== undefined) return hit;
  const member = await getJson<MemberRecord>(deps.db, K.member(account));
  let caller: Caller | null = null;
  if (member && member.status === "Active") {
    const roles = member.roles.filter((r): r is RoleName => (ROLE_NAMES as readonly string[]).includes(r));
    caller = { address: member.account, roles, isRegulator: roles.includes("REGULATOR") };
  }
  // Bounded by the members signing in between two commits; a full map starts again.
  if (known.members.size >= MAX_CALLERS) known.members.clear();
  known.members.set(account, caller);
  return caller;
}
const MAX_CALLERS = 10_000;
const callers = new WeakMap<ApiDeps, { at: string; members: Map<string, Caller | null> }>();
