// An invalid enum in params names the values it accepts, also where the field is a union of an
// enum and something else (approvalPolicy: a mode or `{granular: …}`), where zod alone says only
// "Invalid input". A value of the union's other shape gets that shape's own issue and path.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ConfigValueWriteParams } from '../../src/protocol/schemas/config-methods.js';
import { ThreadStartParams } from '../../src/protocol/schemas/thread-methods.js';
import { TurnStartParams } from '../../src/protocol/schemas/turn-methods.js';
import { parseParams } from '../../src/server/validate.js';

function answer(schema: z.ZodType, params: unknown) {
  try {
    parseParams(schema, params);
  } catch (error) {
    const { message, data } = error as { message: string; data: unknown };
    return { message, data };
  }
  throw new Error('expected -32602');
}

const modes = '"untrusted"|"on-failure"|"on-request"|"never"';
const issue = (path: string, message: string) => ({ message: `Invalid params: ${path}: ${message}`, data: { issues: [{ path, message }] } });

describe('an invalid enum value', () => {
  it.each([
    ['thread/start approvalPolicy (enum or object)', ThreadStartParams, { approvalPolicy: 'yolo' }, issue('approvalPolicy', `Invalid option: expected one of ${modes}, or an object`)],
    ['turn/start approvalPolicy of another type', TurnStartParams, { threadId: 't', input: [], approvalPolicy: 5 }, issue('approvalPolicy', `Invalid option: expected one of ${modes}, or an object`)],
    ['thread/start sandbox', ThreadStartParams, { sandbox: 'yolo' }, issue('sandbox', 'Invalid option: expected one of "read-only"|"workspace-write"|"danger-full-access"')],
    ['config/value/write mergeStrategy', ConfigValueWriteParams, { keyPath: 'model', value: 'x', mergeStrategy: 'yolo' }, issue('mergeStrategy', 'Invalid option: expected one of "replace"|"upsert"')],
  ])('%s names the allowed values', (_what, schema, params, expected) => {
    expect(answer(schema, params)).toEqual(expected);
  });

  it("a value of the union's object shape gets that shape's issue, at its own path", () => {
    expect(answer(ThreadStartParams, { approvalPolicy: { granular: 1 } })).toEqual(issue('approvalPolicy.granular', 'Invalid input: expected object, received number'));
  });
});
