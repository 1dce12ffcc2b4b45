import type { Caller } from "../api/route.js";
import { ApiError, notFound } from "../api/errors.js";
import type { ApiDeps } from "../api/deps.js";
import { buildSubjectBundle, type BuildOptions } from "../evidence/build.js";
import { buildDisputeBundle, readDispute } from "../evidence/build-dispute.js";
import type { EvidenceBundle } from "../evidence/bundle.js";
import { disputeKey } from "../evidence/dispute.js";
import { verifyBundle } from "../evidence/verify.js";
import { records } from "../store/repositories/records.js";
import { canReadDocument } from "./document-access.js";
import { canReadTrace } from "./traces.js";

/** The evidence bundle of a subject the caller may read; cited documents are included where the caller may read them. */
export async function subjectBundle(deps: ApiDeps, caller: Caller, subject: string): Promise<EvidenceBundle> {
  if (!deps.chain) throw new ApiError("NOT_READY", "this server has no node to prove against");
  if (!deps.indexer.status().caughtUp) throw new ApiError("NOT_READY", "the index is catching up; try again when /ready says so");
  // A subject without a trace is not found either (the bundle builder would fail on it with a 500).
  if (!(await canReadTrace(deps.db, caller, subject)) || !(await records(deps.db).traceHead(subject))) throw notFound(`subject ${subject}`);
  return buildSubjectBundle({
    db: deps.db,
    rpc: deps.chain.rpc,
    deployment: deps.chain.deployment,
    subject,
    createdBy: caller.address,
    loadDocument: documentLoader(deps, caller),
  });
}

/** Cited documents go into a bundle where the caller may read them. */
const documentLoader =
  (deps: ApiDeps, caller: Caller): BuildOptions["loadDocument"] =>
  async (hash) => {
    const meta = await deps.documents.meta(hash);
    if (!meta || !(await canReadDocument(deps.db, caller, meta))) return undefined;
    const doc = await deps.documents.get(hash);
    return doc && { contentType: doc.meta.contentType, bytes: doc.bytes };
  };

/**
 * The evidence bundle of a whole dispute, for regulators, its parties and its arbiters (read from the
 * DisputeRegistry, so this needs no supervision projection). To anyone else the dispute is not found.
 */
export async function disputeBundle(deps: ApiDeps, caller: Caller, disputeId: bigint): Promise<EvidenceBundle> {
  if (!deps.chain) throw new ApiError("NOT_READY", "this server has no node to prove against");
  if (!deps.indexer.status().caughtUp) throw new ApiError("NOT_READY", "the index is catching up; try again when /ready says so");
  const { rpc, deployment } = deps.chain;
  const d = await readDispute(rpc, deployment.addresses.DisputeRegistry, disputeId);
  const me = caller.address.toLowerCase();
  if (!d || !(caller.isRegulator || [d.claimant, d.respondent, d.arbiter, d.appealArbiter].includes(me))) throw notFound(`dispute ${disputeId}`);
  // Opened after the indexed head: not in the index yet, so not provable there yet.
  if (!(await records(deps.db).traceHead(disputeKey(disputeId)))) throw new ApiError("NOT_READY", `dispute ${disputeId} is not indexed yet; try again shortly`);
  return buildDisputeBundle({ db: deps.db, rpc, deployment, disputeId, createdBy: caller.address, loadDocument: documentLoader(deps, caller) });
}

export const verify = (bundle: EvidenceBundle, trustedBlockHash: string) => verifyBundle(bundle, trustedBlockHash);
