/** `drl operation …`: every write of OperationRegistry (authorize, evaluate, exit) and `operation show`. */
import { AuthorizationStatus, nameOf } from "../domain/enums.js";
import { formatTime, UsageError } from "./errors.js";
import { NO_EXPIRY, hashArg, hashOptions, hashUsage, parseAddress, parseId, parseTime, parseUint, positionals } from "./args.js";
import { eventOf, reportWrite, type CommandSpec, type Context } from "./context.js";
import { subjectEvents } from "./logs.js";
import { table } from "./output.js";

/** The node's latest block time: "now" for --from and --until. */
export async function chainNow(ctx: Context): Promise<bigint> {
  const b = await ctx.rpc().call<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false]);
  return BigInt(b.timestamp);
}

/** A comma-separated list of ids. */
function parseIds(v: string | undefined, what: string): bigint[] {
  if (v === undefined || v.trim() === "") throw new UsageError(`${what} is required (ids like 3,7,12)`);
  return v.split(",").map((s) => parseId(s.trim(), what));
}

/** An event's array argument: decoded results of unnamed arrays come back as objects keyed 0, 1, … */
const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : v && typeof v === "object" ? Object.values(v) : []);

export const OPERATION_COMMANDS: CommandSpec[] = [
  {
    group: "operation",
    name: "authorize",
    usage: `--operator ADDRESS --resources ID,ID… ${hashUsage("scenario")} ${hashUsage("conditions")} --until TIME [--from TIME]`,
    summary: "authorize an operator over public resources for a scenario (公共数据授权运营) (governance)",
    details: [
      "--resources: 1 to 5 public-category resources; --scenario: the scenario code (its text is hashed); --conditions: the conditions document",
      "--from/--until: now, unix seconds, an ISO date or +DURATION, e.g. --until +1095d for three years",
    ],
    options: { operator: { type: "string" }, resources: { type: "string" }, from: { type: "string" }, until: { type: "string" }, ...hashOptions("scenario"), ...hashOptions("conditions") },
    async run(ctx, { values, positionals: p }) {
      positionals(p, []);
      const operator = parseAddress(values.operator as string | undefined, "--operator");
      const resourceIds = parseIds(values.resources as string | undefined, "--resources");
      const scenario = await hashArg(values, "scenario");
      const conditions = await hashArg(values, "conditions");
      if (values.until === undefined) throw new UsageError("--until TIME is required");
      const now = await chainNow(ctx);
      const validFrom = values.from === undefined ? now : parseTime(values.from as string, "--from", now);
      const validUntil = parseTime(values.until as string, "--until", now, validFrom, true);
      if (validFrom >= 1n << 40n || validUntil > NO_EXPIRY) throw new UsageError("--from/--until do not fit 40 bits");
      const w = await ctx.write("OperationRegistry", "authorize", [operator, resourceIds, scenario, conditions, validFrom, validUntil]);
      const id = eventOf(w.events, "OperationAuthorized").args.authorizationId as bigint;
      reportWrite(ctx, "operation authorize", w, `authorized ${operator} as operator over resource${resourceIds.length > 1 ? "s" : ""} ${resourceIds.join(", ")}: authorization ${id}`, {
        authorizationId: id,
        operator,
        resourceIds,
        scenario,
        conditionsHash: conditions,
        validFrom,
        validUntil,
      });
    },
  },
  {
    group: "operation",
    name: "evaluate",
    usage: `ID --period N --score 0..100 ${hashUsage("report")}`,
    summary: "record an evaluation of an operator for a period, e.g. --period 202611 (governance, regulator or certifier)",
    options: { period: { type: "string" }, score: { type: "string" }, ...hashOptions("report") },
    async run(ctx, { values, positionals: p }) {
      const [i] = positionals(p, ["ID"]);
      const id = parseId(i, "ID");
      const period = parseUint(values.period as string | undefined, "--period", 32);
      const score = parseUint(values.score as string | undefined, "--score", 16);
      const report = await hashArg(values, "report");
      const w = await ctx.write("OperationRegistry", "evaluate", [id, period, score, report]);
      reportWrite(ctx, "operation evaluate", w, `recorded score ${score} for period ${period} of authorization ${id}`, { authorizationId: id, period, score, reportHash: report });
    },
  },
  {
    group: "operation",
    name: "exit",
    usage: `ID ${hashUsage("reason")}`,
    summary: "end an authorization: voluntary by its operator, forced by governance; grants resting on it stop being valid",
    options: hashOptions("reason"),
    async run(ctx, { values, positionals: p }) {
      const [i] = positionals(p, ["ID"]);
      const id = parseId(i, "ID");
      const reason = await hashArg(values, "reason");
      const w = await ctx.write("OperationRegistry", "exit", [id, reason]);
      const forced = Boolean(eventOf(w.events, "OperationExitedBy").args.forced);
      reportWrite(ctx, "operation exit", w, `authorization ${id} ended (${forced ? "forced" : "voluntary"} exit)`, { authorizationId: id, forced, reasonHash: reason });
    },
  },
  {
    group: "operation",
    name: "show",
    usage: "ID",
    summary: "an authorization: operator, resources, scenario, term, whether it is in force now, and its evaluations",
    options: {},
    async run(ctx, { positionals: p }) {
      const [i] = positionals(p, ["ID"]);
      const id = parseId(i, "ID");
      const [a] = await ctx.view("OperationRegistry", "getAuthorization", [id]);
      const [valid] = await ctx.view("OperationRegistry", "isAuthorizationValid", [id]);
      const auth = a as unknown as { operator: string; validFrom: bigint; validUntil: bigint; status: bigint };
      const events = await subjectEvents(ctx, "OperationRegistry", ["OperationAuthorized", "OperationEvaluated", "OperationExitedBy"], id);
      const granted = events.find((e) => e.name === "OperationAuthorized");
      const exit = events.find((e) => e.name === "OperationExitedBy");
      const evaluations = events.filter((e) => e.name === "OperationEvaluated").map((e) => ({ evaluator: e.args.evaluator as string, period: Number(e.args.period), score: Number(e.args.score), reportHash: e.args.reportHash as string, block: e.block }));
      const data = {
        authorizationId: id,
        operator: auth.operator,
        status: nameOf(AuthorizationStatus, auth.status),
        inForce: Boolean(valid),
        validFrom: Number(auth.validFrom),
        validUntil: auth.validUntil === NO_EXPIRY ? null : Number(auth.validUntil),
        resourceIds: listOf(granted?.args.resourceIds).map((r) => BigInt(r as bigint)),
        scenario: (granted?.args.scenario as string | undefined) ?? null,
        conditionsHash: (granted?.args.conditionsHash as string | undefined) ?? null,
        evaluations,
        exit: exit ? { by: exit.args.by as string, forced: Boolean(exit.args.forced), reasonHash: exit.args.reasonHash as string, block: exit.block } : null,
      };
      ctx.out.result(data, table([
        ["authorization", id],
        ["operator", data.operator],
        ["resources", data.resourceIds.join(", ") || "(unknown)"],
        ["scenario", data.scenario ?? "(unknown)"],
        ["term", `${formatTime(auth.validFrom)} until ${formatTime(auth.validUntil)}`],
        ["status", `${data.status}${exit ? ` (${data.exit!.forced ? "forced" : "voluntary"} exit by ${data.exit!.by})` : ""}`],
        ["in force now", data.inForce ? "yes" : "no: grants resting on it are not valid"],
        ["evaluations", evaluations.length ? evaluations.map((e) => `${e.period}: ${e.score}`).join("; ") : "(none)"],
      ]));
    },
  },
];
