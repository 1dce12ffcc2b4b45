/**
 * What the CLI prints: human lines by default, one JSON document with --json (numbers too large for JSON as
 * strings). Progress goes to stderr: a bar on a terminal, structured JSON lines otherwise.
 */
import { exitCodeOf, type ChainRefusal, type DecodedRevert } from "./errors.js";
import { errorMessage } from "../common/errors.js";

/** A JSON-safe copy: bigints as decimal strings. */
export function jsonSafe(v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return v.map(jsonSafe);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonSafe(x)]));
  return v;
}

export class Output {
  constructor(
    readonly json: boolean,
    private readonly stdout: NodeJS.WritableStream = process.stdout,
    private readonly stderr: NodeJS.WritableStream = process.stderr,
  ) {}

  /** The command's result: `data` as JSON with --json, else the human lines. */
  result(data: Record<string, unknown>, human: string | string[]): void {
    if (this.json) this.stdout.write(JSON.stringify(jsonSafe({ ok: true, ...data }), null, 2) + "\n");
    else this.stdout.write((Array.isArray(human) ? human.join("\n") : human) + "\n");
  }

  /** A note for humans (stderr), silent with --json. */
  note(line: string): void {
    if (!this.json) this.stderr.write(line + "\n");
  }

  /** Reports a failure: the sentence on stderr, and with --json the error document on stdout. Returns the exit code. */
  failure(e: unknown): number {
    const exitCode = exitCodeOf(e);
    const revert = (e as Partial<ChainRefusal>).revert as DecodedRevert | undefined;
    const message = errorMessage(e);
    if (this.json) {
      const error: Record<string, unknown> = { kind: kindOf(exitCode, e), message };
      if (revert) Object.assign(error, { name: revert.name, signature: revert.signature, args: revert.args, sentence: revert.sentence, data: revert.data });
      this.stdout.write(JSON.stringify({ ok: false, exitCode, error }, null, 2) + "\n");
    }
    if (revert) this.stderr.write(`drl: refused: ${revert.sentence}\n     (${revert.name}${Object.keys(revert.args).length ? " " + Object.entries(revert.args).map(([k, v]) => `${k}=${String(v)}`).join(" ") : ""})\n`);
    else this.stderr.write(`drl: ${message}\n`);
    return exitCode;
  }
}

function kindOf(exitCode: number, e: unknown): string {
  if (exitCode === 2) return "usage";
  if (exitCode === 3) return "key";
  return (e as { name?: string }).name === "ChainRefusal" ? "refused" : "network";
}

/** `label  value` lines aligned on the label column. */
export function table(rows: readonly (readonly [string, unknown])[]): string[] {
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${String(v)}`);
}

/**
 * Import progress: a redrawn bar when stderr is a terminal, else one JSON line at most every `everyMs` (and at the end).
 */
export class Progress {
  private lastAt = 0;
  private readonly tty: boolean;
  constructor(
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly everyMs = 1000,
  ) {
    this.tty = Boolean(stream.isTTY);
  }

  update(p: { done: number; failed: number; inFlight: number; txPerSecond: number }, final = false): void {
    const now = Date.now();
    if (!final && now - this.lastAt < (this.tty ? 100 : this.everyMs)) return;
    this.lastAt = now;
    if (this.tty) {
      const width = 30;
      const frac = this.total ? (p.done + p.failed) / this.total : 1;
      const bar = "#".repeat(Math.round(frac * width)).padEnd(width, ".");
      this.stream.write(
        `\r[${bar}] ${p.done + p.failed}/${this.total} ${(frac * 100).toFixed(0).padStart(3)}%  ${p.txPerSecond.toFixed(0)} tx/s  failed ${p.failed}  in flight ${p.inFlight}   ${final ? "\n" : ""}`,
      );
    } else {
      this.stream.write(JSON.stringify({ event: final ? "import-done" : "import-progress", total: this.total, ...p, txPerSecond: Math.round(p.txPerSecond * 10) / 10 }) + "\n");
    }
  }
}
