import { id } from "ethers";
import { OutcomeKind, SubjectKind } from "../domain/enums.js";
import { subjectKey } from "../domain/trace.js";
import type { Actors } from "./actors.js";
import { mined, type Ledger } from "./ledger.js";
import type { MarketStory } from "./market-story.js";

const doc = (label: string): string => id(`drl-demo:${label}`);
const PRIVACY_COMPLAINT = 1;

/** What the supervision part of the demo made. */
export interface SupervisionStory {
  reportId: bigint;
  sanctionId: bigint;
  disputeId: bigint;
}

/**
 * Supervision, after the seed: a data subject's privacy complaint about the hospital's outpatient data, relayed
 * confidentially by the bureau (违法举报, 个人隐私救济), investigated, the data frozen as a sanction linked to the
 * report, the report substantiated; then a dispute (数据争议处置) of the logistics firm against the operating company
 * over the trade and its licence, evidence from both sides, a ruling, an appeal ruled by a different arbiter, and
 * the final ruling executed (a compensation entitlement).
 */
export async function playSupervision(l: Ledger, a: Actors, m: MarketStory, round: string, say: (line: string) => void): Promise<SupervisionStory> {
  // A confidential privacy complaint, relayed by the bureau: the report carries a commitment, not the reporter.
  const commitment = doc(`reporter commitment ${round}`);
  await mined(l.reports.connect(a.bureau).fileConfidential(subjectKey(SubjectKind.Resource, m.healthData), PRIVACY_COMPLAINT, doc(`complaint evidence ${round}`), commitment));
  const reportId = await l.reports.reportCount();
  await mined(l.reports.connect(a.inspector).investigate(reportId, doc(`opening an investigation ${round}`)));
  await mined(l.sanctions.connect(a.inspector).freeze(subjectKey(SubjectKind.Resource, m.healthData), subjectKey(SubjectKind.Report, reportId), doc(`freeze pending review ${round}`)));
  const sanctionId = await l.sanctions.sanctionCount();
  await mined(l.reports.connect(a.inspector).substantiate(reportId, [sanctionId], doc(`findings ${round}`)));
  say(`privacy complaint about resource ${m.healthData}, relayed confidentially: report ${reportId}, investigated, substantiated with sanction ${sanctionId} (the data frozen, linked to the report)`);

  // A dispute over the trade and its licence.
  const subjects = [subjectKey(SubjectKind.Trade, m.tradeId), subjectKey(SubjectKind.Grant, m.licenceGrant)];
  await mined(l.disputes.connect(a.logistics).open(a.operator.address, subjects, doc(`claim: index data late and incomplete ${round}`)));
  const disputeId = await l.disputes.disputeCount();
  await mined(l.disputes.connect(a.logistics).submitEvidence(disputeId, doc(`buyer evidence: API logs ${round}`), `ipfs://demo/evidence/buyer/${round}`));
  await mined(l.disputes.connect(a.operator).submitEvidence(disputeId, doc(`seller evidence: delivery receipts ${round}`), `ipfs://demo/evidence/seller/${round}`));
  await mined(l.disputes.connect(a.governance).assignArbiter(disputeId, a.arbiter.address));
  const compensation = (amount: bigint) => [{ kind: OutcomeKind.Compensation, subject: 0, beneficiary: a.logistics.address, amount }];
  await mined(l.disputes.connect(a.arbiter).rule(disputeId, doc(`ruling ${round}`), compensation(15_000_00n)));
  say(`dispute ${disputeId}: 物流企业 against the operating company over trade ${m.tradeId}; evidence from both sides; the arbiter awarded CNY 15,000.00`);
  await mined(l.disputes.connect(a.operator).appeal(disputeId, doc(`grounds of appeal ${round}`)));
  await mined(l.disputes.connect(a.governance).assignArbiter(disputeId, a.appealArbiter.address));
  const final = compensation(9_000_00n);
  await mined(l.disputes.connect(a.appealArbiter).rule(disputeId, doc(`appeal ruling ${round}`), final));
  await mined(l.disputes.connect(a.logistics).execute(disputeId, final));
  say(`the operating company appealed; a different arbiter ruled CNY 9,000.00; the final ruling was executed (compensation entitlement recorded)`);
  return { reportId, sanctionId, disputeId };
}
