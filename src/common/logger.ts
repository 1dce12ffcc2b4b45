/**
 * Structured logs: one JSON object per line on stderr (so stdout stays free for command output), with a level,
 * a time, a message and fields. Quiet under tests unless DRL_LOG_LEVEL asks otherwise.
 */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

const jsonSafe = (_key: string, value: unknown): unknown => (typeof value === "bigint" ? value.toString() : value);

/** JSON of a log entry; the bigint-aware replacer (a call per key) only for the rare entry that needs it. */
function stringify(entry: Record<string, unknown>): string {
  try {
    return JSON.stringify(entry);
  } catch {
    return JSON.stringify(entry, jsonSafe);
  }
}

/**
 * Lines to stderr, written once per turn of the event loop: the API logs a line per request, and a write per line
 * (a system call each) was a tenth of a cheap request's time (issue 6's bench). A line waits at most until the
 * loop's next check phase; `exit` flushes what is pending, so only a SIGKILL can lose the last turn's lines.
 */
const pending: string[] = [];
let scheduled = false;
function flushStderr(): void {
  scheduled = false;
  if (pending.length === 0) return;
  const text = pending.join("\n") + "\n";
  pending.length = 0;
  process.stderr.write(text);
}
let exitHook = false;
function bufferedStderr(line: string): void {
  pending.push(line);
  if (!exitHook) {
    exitHook = true;
    process.on("exit", flushStderr);
  }
  if (!scheduled) {
    scheduled = true;
    setImmediate(flushStderr);
  }
}

export function createLogger(
  level: LogLevel = (process.env.DRL_LOG_LEVEL as LogLevel | undefined) ?? "info",
  base: Record<string, unknown> = {},
  write: (line: string) => void = bufferedStderr,
): Logger {
  const threshold = ORDER[level] ?? ORDER.info;
  const log = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < threshold) return;
    write(stringify({ level: lvl, time: new Date().toISOString(), msg, ...base, ...fields }));
  };
  return {
    debug: (m, f) => log("debug", m, f),
    info: (m, f) => log("info", m, f),
    warn: (m, f) => log("warn", m, f),
    error: (m, f) => log("error", m, f),
    child: (fields) => createLogger(level, { ...base, ...fields }, write),
  };
}

export const silentLogger: Logger = createLogger("silent");
