import { NonRetryableError } from "../common/errors.js";
import { LEDGER_CONTRACT_NAMES, type Deployment, type LedgerContractName } from "../chain/contracts.js";
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
  };
  const name = byKind[kind];
  if (name) return { name, address: deployment.addresses[name] };
  if (kind === SubjectKind.Ledger) {
    const address = "0x" + (v & ((1n << 160n) - 1n)).toString(16).padStart(40, "0");
    const found = LEDGER_CONTRACT_NAMES.find((n) => deployment.addresses[n].toLowerCase() === address);
    if (found) return { name: found, address: deployment.addresses[found] };
  }
  throw new NonRetryableError("DRL-EVIDENCE-SUBJECT", `no ledger contract keeps the trace of subject ${subject}`);
}

