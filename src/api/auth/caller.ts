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
  const member = await getJson<MemberRecord>(deps.db, K.member(payload.sub));
  if (!member || member.status !== "Active") throw new ApiError("UNAUTHENTICATED", "the signing member is not an active member of the ledger");
  const roles = member.roles.filter((r): r is RoleName => (ROLE_NAMES as readonly string[]).includes(r));
  return { address: member.account, roles, isRegulator: roles.includes("REGULATOR") };
}
