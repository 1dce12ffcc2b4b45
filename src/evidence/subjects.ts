import { NonRetryableError } from "../common/errors.js";
import { deployedContracts, type Deployment, type LedgerContractName } from "../chain/contracts.js";
import { SubjectKind } from "../domain/enums.js";

/** The contract that keeps the trace of a subject, by the subject's kind. */
export function contractOf(deployment: Deployment, subject: string): { name: LedgerContractName; address: string } {
  const v = BigInt(subject);
  const kind = Number(v >> 248n);
  const byKind: Partial<Record<number, LedgerContractName>> = {
    [SubjectKind.Member]: "MemberRegistry",
    [SubjectKind.Resource]: "ResourceRegistry",
    [SubjectKind.Grant]: "GrantRegistry",
    [SubjectKind.OperationAuthorization]: "OperationRegistry",
    [SubjectKind.Consent]: "ConsentRegistry",
    [SubjectKind.Product]: "ProductRegistry",
    [SubjectKind.Listing]: "Market",
    [SubjectKind.Trade]: "Market",
    [SubjectKind.Rating]: "AdmissionRegistry",
    [SubjectKind.Report]: "ReportRegistry",
    [SubjectKind.Dispute]: "DisputeRegistry",
  };
  const name = byKind[kind];
  const address = name === undefined ? undefined : deployment.addresses[name];
  if (name !== undefined && address !== undefined) return { name, address };
  if (kind === SubjectKind.Ledger) {
    const ledger = "0x" + (v & ((1n << 160n) - 1n)).toString(16).padStart(40, "0");
    const found = deployedContracts(deployment).find(([, a]) => a.toLowerCase() === ledger);
    if (found) return { name: found[0], address: found[1] };
  }
  throw new NonRetryableError("DRL-EVIDENCE-SUBJECT", `no ledger contract keeps the trace of subject ${subject}`);
}

