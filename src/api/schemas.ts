import { z } from "zod";

/** Shared request and response schemas. Requests are strict: unknown fields are refused. */
export const Address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte address").transform((a) => a.toLowerCase());
export const Hash32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x-prefixed 32-byte hash").transform((h) => h.toLowerCase());
/**
 * A positive id as decimal text (ids are uint64 on-chain). zod 4 runs a refinement even when the regex failed, so
 * the range check only converts text the regex accepted (BigInt("abc") would throw and answer 500).
 */
export const Id = z
  .string()
  .regex(/^[1-9][0-9]{0,19}$/, "must be a positive decimal id")
  .refine((s) => !/^[0-9]{1,20}$/.test(s) || BigInt(s) < 2n ** 64n, "must fit in 64 bits");
export const BlockNumber = z.string().regex(/^[0-9]{1,12}$/, "must be a block number").transform(Number);
export const UnixTime = z.string().regex(/^[0-9]{1,12}$/, "must be unix seconds").transform(Number);

export const Cursor = z.string().regex(/^[A-Za-z0-9_-]{1,512}$/, "must be a cursor returned by a previous page");
export const pageQuery = (maxPageSize: number) => ({
  cursor: Cursor.optional(),
  limit: z.string().regex(/^[0-9]{1,4}$/, "must be a whole number").transform(Number).pipe(z.number().int().min(1).max(maxPageSize)).optional(),
});

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() }).strict();

export const At = z.object({ block: z.number(), time: z.number(), cp: z.string(), tx: z.string() }).strict();
export const Empty = z.object({}).strict();
