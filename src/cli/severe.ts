/**
 * `drl severe …`: severe actions (expelling a member, forcing an operation authorization to exit, transferring a holding
 * right) that distinct regulators or arbiters approve: propose (the proposer's approval counts), approve (the action
 * runs in the approval that reaches the threshold), cancel, governance's threshold, `show`.
 */
import { ZeroAddress } from "ethers";
import { ProposalStatus, SevereKind, nameOf } from "../domain/enums.js";
import { formatTime, UsageError } from "./errors.js";
import { hashArg, hashOptions, parseAddress, parseId, parseUint, positionals } from "./args.js";
import { verbOf } from "./admission.js";
import { eventOf, reportWrite, type CommandSpec, type Context, type DecodedEvent } from "./context.js";
import { subjectEvents } from "./logs.js";
import { table } from "./output.js";
import { describeSubject, parseCause, REASON_USAGE } from "./report.js";

const KINDS = { expel: SevereKind.ExpelMember, "forced-exit": SevereKind.ForcedExit, transfer: SevereKind.TransferHolding } as const;
type Kind = keyof typeof KINDS;

/** `RESOURCE:TO` (a holding transfer's resource id and recipient). */
export function parseTransfer(v: string | undefined, what: string): { resourceId: bigint; to: string } {
  const m = v === undefined ? null : /^([^:]+):(0x[0-9a-fA-F]{40})$/.exec(v.trim());
  if (!m) throw new UsageError(`${what} must be RESOURCE:TO (a resource id and the recipient's address), got ${JSON.stringify(v ?? "")}`);
  return { resourceId: parseId(m[1], `${what} (resource id)`), to: parseAddress(m[2], `${what} (recipient)`) };
}

/** The proposal's target as words. */
const targetText = (kind: number, targetId: bigint, account: string): string =>
  kind === SevereKind.ExpelMember ? `expel member ${account}` : kind === SevereKind.ForcedExit ? `forced exit of operation authorization ${targetId}` : `transfer of resource ${targetId}'s holding right to ${account}`;

/** How a write left the proposal: executed in it, or still pending with its approvals. */
function outcomeOf(events: readonly DecodedEvent[], threshold: number): { executed: boolean; text: string } {
  const executed = events.some((e) => e.name === "SevereExecuted");
  if (executed) return { executed, text: "executed" };
  const approved = events.find((e) => e.name === "SevereApproved");
  const approvals = approved ? Number(approved.args.approvals as bigint) : 1;
  return { executed, text: `pending, ${approvals} of ${threshold} approvals` };
}

interface ProposalState {
  kind: bigint;
  status: bigint;
  approvals: bigint;
  threshold: bigint;
  proposedAt: bigint;
  account: string;
  targetId: bigint;
  proposer: string;
  cause: string;
  reasonHash: string;
}

async function proposal(ctx: Context, id: bigint): Promise<ProposalState> {
  const [r] = await ctx.view("SevereActions", "getProposal", [id]);
  return r as unknown as ProposalState;
}

async function showProposal(ctx: Context, id: bigint): Promise<void> {
  const s = await proposal(ctx, id);
  const events = await subjectEvents(ctx, "SevereActions", ["SevereProposed", "SevereApproved", "SevereExecuted", "SevereCancelled"], id);
  const proposed = events.find((e) => e.name === "SevereProposed");
  const approvers = [...(proposed ? [proposed.args.approver as string] : []), ...events.filter((e) => e.name === "SevereApproved").map((e) => e.args.approver as string)];
  const kind = Number(s.kind);
  const data = {
    proposalId: id,
    kind: nameOf(SevereKind, kind),
    status: nameOf(ProposalStatus, s.status),
    targetId: s.targetId,
    account: s.account === ZeroAddress ? null : s.account,
    cause: s.cause,
    causeName: describeSubject(s.cause),
    proposer: s.proposer,
    proposedAt: Number(s.proposedAt),
    reasonHash: s.reasonHash,
    approvals: Number(s.approvals),
    threshold: Number(s.threshold),
    approvers,
    history: events.map((e) => ({ event: e.name, by: (e.args.by ?? e.args.approver ?? e.args.proposer) as string, block: e.block, tx: e.tx })),
  };
  ctx.out.result(data, table([
    ["proposal", id],
    ["action", targetText(kind, s.targetId, s.account)],
    ["cause", data.causeName],
    ["proposed", `${formatTime(s.proposedAt)} by ${s.proposer}`],
    ["reason", s.reasonHash],
    ["status", data.status],
    ["approvals", `${data.approvals} of ${data.threshold}: ${approvers.join(", ")}`],
  ]));
}

export const SEVERE_COMMANDS: CommandSpec[] = [
  {
    group: "severe",
    name: "propose",
    usage: `expel ADDRESS | forced-exit AUTHORIZATION | transfer RESOURCE:TO  --cause report:ID|dispute:ID ${REASON_USAGE}`,
    summary: "propose a severe action caused by a report or dispute; your proposal is its first approval (regulator or arbiter)",
    details: ["it runs at once when the threshold is 1 (drl severe threshold set N, governance); else other regulators or arbiters approve"],
    options: { cause: { type: "string" }, ...hashOptions("reason") },
    async run(ctx, { values, positionals: p }) {
      const word = verbOf(p, Object.keys(KINDS) as Kind[], "expel, forced-exit or transfer");
      const [, t] = positionals(p, [word, word === "expel" ? "ADDRESS" : word === "forced-exit" ? "AUTHORIZATION" : "RESOURCE:TO"]);
      const kind = KINDS[word];
      let targetId = 0n;
      let account: string = ZeroAddress;
      if (word === "expel") account = parseAddress(t, "ADDRESS");
      else if (word === "forced-exit") targetId = parseId(t, "AUTHORIZATION");
      else ({ resourceId: targetId, to: account } = parseTransfer(t, "RESOURCE:TO"));
      const cause = parseCause(values.cause as string | undefined);
      const reason = await hashArg(values, "reason");
      const w = await ctx.write("SevereActions", "propose", [kind, targetId, account, cause, reason]);
      const e = eventOf(w.events, "SevereProposed");
      const proposalId = e.args.proposalId as bigint;
      const threshold = Number(e.args.threshold as bigint);
      const o = outcomeOf(w.events, threshold);
      reportWrite(ctx, "severe propose", w, `proposed ${proposalId}: ${targetText(kind, targetId, account)}, caused by ${describeSubject(cause)}; ${o.text}`, {
        proposalId,
        kind: nameOf(SevereKind, kind),
        targetId,
        account: account === ZeroAddress ? null : account,
        cause,
        threshold,
        executed: o.executed,
        reasonHash: reason,
      });
    },
  },
  {
    group: "severe",
    name: "approve",
    usage: "ID",
    summary: "approve a pending proposal; the approval that reaches its threshold carries the action out (regulator or arbiter, once each)",
    options: {},
    async run(ctx, { positionals: p }) {
      const [i] = positionals(p, ["ID"]);
      const proposalId = parseId(i, "ID");
      const w = await ctx.write("SevereActions", "approve", [proposalId]);
      const threshold = Number((await proposal(ctx, proposalId)).threshold);
      const o = outcomeOf(w.events, threshold);
      const approvals = Number((w.events.find((e) => e.name === "SevereApproved")?.args.approvals as bigint | undefined) ?? 0n);
      reportWrite(ctx, "severe approve", w, `approved proposal ${proposalId}; ${o.text}`, { proposalId, approvals, threshold, executed: o.executed });
    },
  },
  {
    group: "severe",
    name: "cancel",
    usage: `ID ${REASON_USAGE}`,
    summary: "cancel a pending proposal; it stays on record (its proposer or governance)",
    options: hashOptions("reason"),
    async run(ctx, { values, positionals: p }) {
      const [i] = positionals(p, ["ID"]);
      const proposalId = parseId(i, "ID");
      const reason = await hashArg(values, "reason");
      const w = await ctx.write("SevereActions", "cancel", [proposalId, reason]);
      eventOf(w.events, "SevereCancelled");
      reportWrite(ctx, "severe cancel", w, `cancelled proposal ${proposalId}`, { proposalId, reasonHash: reason });
    },
  },
  {
    group: "severe",
    name: "threshold",
    usage: "set N",
    summary: "set how many distinct approvals proposals made from now on need (governance)",
    options: {},
    async run(ctx, { positionals: p }) {
      verbOf(p, ["set"], "set N");
      const [, n] = positionals(p, ["set", "N"]);
      const threshold = Number(parseUint(n, "N", 8));
      const w = await ctx.write("SevereActions", "setThreshold", [threshold]);
      eventOf(w.events, "SevereThresholdSet");
      reportWrite(ctx, "severe threshold set", w, `severe actions proposed from now on need ${threshold} approval${threshold === 1 ? "" : "s"}`, { threshold });
    },
  },
  {
    group: "severe",
    name: "show",
    usage: "ID",
    summary: "a proposal: the action, cause, proposer, status, approvals against its threshold and who approved",
    options: {},
    async run(ctx, { positionals: p }) {
      const [i] = positionals(p, ["ID"]);
      await showProposal(ctx, parseId(i, "ID"));
    },
  },
];
