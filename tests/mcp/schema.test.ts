import { describe, expect, it } from 'vitest';
import { modelSchema } from '../../src/mcp/index.js';

describe('modelSchema', () => {
  it('drops $schema and keeps the rest', () => {
    const input = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { text: { type: 'string', description: 'd' } },
      required: ['text'],
      additionalProperties: false,
    };
    expect(modelSchema(input)).toEqual({
      type: 'object',
      properties: { text: { type: 'string', description: 'd' } },
      required: ['text'],
      additionalProperties: false,
    });
  });

  it('makes a missing or odd schema an object with no properties', () => {
    expect(modelSchema(undefined)).toEqual({ type: 'object', properties: {} });
    expect(modelSchema({ type: 'object' })).toEqual({ type: 'object', properties: {} });
    expect(modelSchema({ type: ['object', 'null'], properties: [] })).toEqual({ type: 'object', properties: {} });
  });

  it('drops top-level combinators providers refuse, keeping nested ones', () => {
    const nested = { anyOf: [{ type: 'string' }, { type: 'number' }] };
    expect(modelSchema({ type: 'object', properties: { v: nested }, oneOf: [{ required: ['v'] }], anyOf: [], allOf: [] })).toEqual({
      type: 'object',
      properties: { v: nested },
    });
  });
});
