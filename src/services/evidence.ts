import type { Caller } from "../api/route.js";
import { ApiError, notFound } from "../api/errors.js";
import type { ApiDeps } from "../api/deps.js";
import { buildSubjectBundle } from "../evidence/build.js";
import type { EvidenceBundle } from "../evidence/bundle.js";
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
    loadDocument: async (hash) => {
      const meta = await deps.documents.meta(hash);
      if (!meta || !(await canReadDocument(deps.db, caller, meta))) return undefined;
      const doc = await deps.documents.get(hash);
      return doc && { contentType: doc.meta.contentType, bytes: doc.bytes };
    },
  });
}

export const verify = (bundle: EvidenceBundle, trustedBlockHash: string) => verifyBundle(bundle, trustedBlockHash);
