// Shapes shared by many messages.
import * as z from 'zod';

export const RequestId = z.union([z.string(), z.number().int()]);

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export const JsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(JsonValue), z.record(z.string(), JsonValue)]),
);

/** Absolute filesystem path, as Codex's AbsolutePathBuf. */
export const AbsolutePath = z.string();

/** Unsigned integer that fits in JSON without loss. */
export const UInt = z.number().int().nonnegative();

/** `{}` on the wire: params or results with no fields (extra fields are ignored). A fresh schema
 * per use, since each message type gets its own name in schema/. */
export const emptyObject = () => z.looseObject({});

/**
 * A list Keel always answers empty because it has none of the thing (no plugins, no MCP servers…):
 * typed as the empty tuple, so the contract says so instead of modelling entries Keel never sends.
 */
export const alwaysEmpty = (why: string) => z.tuple([]).describe(`Always empty in Keel: ${why}`);
