import { IntegrityError } from "../../common/errors.js";
import { Action, nameOf } from "../../domain/enums.js";
import { ZERO_WORD, nextWord } from "../../domain/trace.js";
import { K, TRACE_CHUNK } from "../../store/keys.js";
import { toJson } from "../../store/db.js";
import { encodeTraceChunk, traceItem } from "../../store/trace-chunks.js";
import type { HandlerMap } from "../context.js";
import type { TraceEntryRecord, TraceHead } from "../records.js";

/**
 * Stores every trace entry with its running word, after checking that it folds: the indexed head of a subject
 * is then the on-chain head by construction, and a node serving altered logs is caught at once.
 */
export const traceHandlers: HandlerMap = {
  TraceRecorded: async (ctx, { args }) => {
    const subject = args.subject.toLowerCase();
    // Sequence 1 starts a trace, so there is no head yet: skip the read (one per new subject, the commonest kind
    // of entry). The fold check still ties the entry to the zero word.
    const first = args.seq === 1n;
    const head = first ? undefined : await ctx.ws.getJson<TraceHead>(K.traceHead(subject));
    const prevWord = head?.word ?? ZERO_WORD;
    const expectedSeq = BigInt(head?.seq ?? "0") + 1n;
    const action = Number(args.action);
    const word = nextWord(prevWord, { subject, seq: args.seq, action, actor: args.actor, payloadHash: args.payloadHash, blockNumber: ctx.at.block });
    if (args.seq !== expectedSeq || word !== args.word.toLowerCase()) {
      throw new IntegrityError("DRL-INDEX-TRACE", `trace entry ${subject}#${args.seq} at ${ctx.cp} does not fold onto the indexed head #${expectedSeq - 1n}`);
    }
    const entry: TraceEntryRecord = {
      subject,
      seq: args.seq.toString(),
      action,
      actionName: nameOf(Action, action),
      actor: args.actor.toLowerCase(),
      payloadHash: args.payloadHash,
      word,
      contract: ctx.log.address,
      at: ctx.at,
      logIndex: ctx.log.logIndex,
    };
    const text = toJson(entry);
    ctx.ws.insert(K.trace(subject, args.seq), text);
    if (args.seq % BigInt(TRACE_CHUNK) === 0n) {
      // The entry that completes a chunk writes the chunk (its other entries are read with the head: reads.ts).
      const lines: string[] = [];
      for (let s = args.seq - BigInt(TRACE_CHUNK) + 1n; s < args.seq; s++) {
        const e = await ctx.ws.get(K.trace(subject, s));
        if (e === undefined) throw new IntegrityError("DRL-INDEX-TRACE", `trace entry ${subject}#${s} is missing while ${subject}#${args.seq} is indexed`);
        lines.push(traceItem(e));
      }
      lines.push(traceItem(text));
      ctx.ws.insert(K.traceChunk(subject, Number(args.seq / BigInt(TRACE_CHUNK)) - 1), encodeTraceChunk(lines));
    }
    const next = { subject, contract: ctx.log.address, seq: entry.seq, word } satisfies TraceHead;
    if (first) ctx.ws.insert(K.traceHead(subject), next);
    else await ctx.ws.put(K.traceHead(subject), next);
  },
};
