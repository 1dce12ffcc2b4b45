import { getAddress, verifyMessage } from "ethers";
import { z } from "zod";
import type { MemberRecord } from "../../indexer/records.js";
import { getJson } from "../../queries/history.js";
import { K } from "../../store/keys.js";
import { formatSiwe, parseSiwe } from "../auth/siwe.js";
import { issueToken } from "../auth/tokens.js";
import type { NonceStore } from "../auth/nonces.js";
import { ApiError } from "../errors.js";
import { defineRoute } from "../route.js";
import { Address } from "../schemas.js";

const refuse = (why: string) => new ApiError("LOGIN_REFUSED", `login refused: ${why}`);

/** Sign-in with the member's own key: an EIP-4361 challenge, then a short-lived token for the signed message. */
export const authRoutes = (nonces: NonceStore) => [
  defineRoute({
    method: "post",
    path: "/v1/auth/challenge",
    operationId: "authChallenge",
    summary: "Get an EIP-4361 message to sign with the member's key",
    tag: "auth",
    audience: "public",
    body: z.object({ address: Address }).strict(),
    response: z.object({ message: z.string(), nonce: z.string(), expiresAt: z.number() }).strict(),
    handler: async ({ body, deps }) => {
      const now = deps.now();
      const expiresAt = now + deps.config.challengeTtlSeconds;
      const nonce = nonces.issue(body.address, expiresAt, now);
      const message = formatSiwe({
        domain: deps.config.domain,
        address: getAddress(body.address),
        statement: "Sign in to DataRights Ledger.",
        uri: deps.config.uri,
        version: "1",
        chainId: deps.config.chainId,
        nonce,
        issuedAt: new Date(now * 1000).toISOString(),
        expirationTime: new Date(expiresAt * 1000).toISOString(),
      });
      return { message, nonce, expiresAt };
    },
  }),
  defineRoute({
    method: "post",
    path: "/v1/auth/login",
    operationId: "authLogin",
    summary: "Exchange a signed challenge for a session token",
    tag: "auth",
    audience: "public",
    errors: [401],
    body: z.object({ message: z.string().max(2_000), signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/, "must be a 65-byte signature") }).strict(),
    response: z.object({ token: z.string(), expiresAt: z.number(), address: z.string(), roles: z.array(z.string()) }).strict(),
    handler: async ({ body, deps }) => {
      const now = deps.now();
      const f = parseSiwe(body.message);
      if (!f) throw refuse("not an EIP-4361 message issued by this server");
      // The nonce goes first, so a message is spent by its first attempt whatever else is wrong with it.
      if (!nonces.consume(f.nonce, f.address, now)) throw refuse("unknown, used or expired nonce");
      if (f.domain !== deps.config.domain || f.uri !== deps.config.uri) throw refuse(`wrong domain (signed for ${f.domain})`);
      if (f.chainId !== deps.config.chainId) throw refuse(`wrong chain id ${f.chainId}`);
      const expires = Date.parse(f.expirationTime) / 1000;
      if (!Number.isFinite(expires) || expires <= now) throw refuse("message expired");
      let signer: string;
      try {
        signer = verifyMessage(body.message, body.signature);
      } catch {
        throw refuse("signature does not verify");
      }
      if (signer.toLowerCase() !== f.address.toLowerCase()) throw refuse("signature is not by the named account");
      const member = await getJson<MemberRecord>(deps.db, K.member(f.address));
      if (!member) throw refuse("the signer is not a member of the ledger");
      if (member.status !== "Active") throw refuse(`the member is ${member.status.toLowerCase()}`);
      const { token, expiresAt } = issueToken(deps.config.tokenSecret, f.address, deps.config.tokenTtlSeconds, now);
      return { token, expiresAt, address: member.account, roles: member.roles };
    },
  }),
];
