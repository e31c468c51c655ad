// The request console's form, decided from the JSON Schema: which control each field gets, read
// from the vendored schema/ (the same definitions schema.json carries) and from small schemas.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chosenOption, describeField, parseLines, startValue, withProperty, type Definitions, type Field } from '../../../clients/web/src/console/form-schema.js';
import { repoRoot } from '../../helpers/conformance.js';

const definitions = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'schema', 'keel.schema.json'), 'utf8')) as { definitions: Definitions }).definitions;
const formOf = (name: string) => describeField({ $ref: `#/definitions/${name}` }, definitions);

describe('form from schema', () => {
  it('gives thread/list a control per parameter: numbers, enums, tri-state booleans, lines and JSON', () => {
    const { field, nullable } = formOf('ThreadListParams');
    expect(nullable).toBe(false);
    if (field.kind !== 'object') throw new Error(`expected an object, got ${field.kind}`);
    const byName = Object.fromEntries(field.properties.map((property) => [property.name, property]));
    expect(byName.limit).toEqual({ name: 'limit', required: false, nullable: true, field: { kind: 'number', integer: true } });
    expect(byName.cursor).toEqual({ name: 'cursor', required: false, nullable: true, field: { kind: 'string' } });
    expect(byName.sortDirection).toEqual({ name: 'sortDirection', required: false, nullable: true, field: { kind: 'string', enum: ['asc', 'desc'] } });
    expect(byName.archived).toEqual({ name: 'archived', required: false, nullable: true, field: { kind: 'boolean' } });
    expect(byName.modelProviders).toEqual({ name: 'modelProviders', required: false, nullable: true, field: { kind: 'lines', item: 'string' } });
    // A string or a list of strings: neither constants nor objects, so typed as JSON.
    expect(byName.cwd).toEqual({ name: 'cwd', required: false, nullable: true, field: { kind: 'json' } });
    expect(byName.excludedThreadIds).toEqual({
      name: 'excludedThreadIds',
      required: false,
      nullable: true,
      description: 'Not these threads (at most 100), before the page is cut.',
      field: { kind: 'lines', item: 'string' },
    });
  });

  it('offers approvalPolicy as its constants plus the granular object, resolved through $ref', () => {
    const { field } = formOf('ThreadStartParams');
    if (field.kind !== 'object') throw new Error('expected an object');
    const approval = field.properties.find((property) => property.name === 'approvalPolicy')!;
    expect(approval).toEqual({
      name: 'approvalPolicy',
      required: false,
      nullable: true,
      field: {
        kind: 'choice',
        options: [
          { label: 'untrusted', constant: 'untrusted' },
          { label: 'on-failure', constant: 'on-failure' },
          { label: 'on-request', constant: 'on-request' },
          { label: 'never', constant: 'never' },
          {
            label: 'granular',
            field: {
              kind: 'object',
              properties: [
                {
                  name: 'granular',
                  required: true,
                  nullable: false,
                  field: {
                    kind: 'object',
                    properties: [
                      { name: 'sandbox_approval', required: true, nullable: false, field: { kind: 'boolean' } },
                      { name: 'rules', required: true, nullable: false, field: { kind: 'boolean' } },
                      { name: 'mcp_elicitations', required: true, nullable: false, field: { kind: 'boolean' } },
                      { name: 'request_permissions', required: false, nullable: false, field: { kind: 'boolean' } },
                      { name: 'skill_approval', required: false, nullable: false, field: { kind: 'boolean' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    });
    // Choosing the object variant fills its required fields, so it stays chosen.
    const granular = (approval.field as Extract<Field, { kind: 'choice' }>).options[4]!;
    expect(startValue(granular)).toEqual({ granular: { sandbox_approval: false, rules: false, mcp_elicitations: false } });
    expect(chosenOption(approval.field as Extract<Field, { kind: 'choice' }>, startValue(granular))).toBe(4);
    expect(field.properties.find((property) => property.name === 'sandbox')!.field).toEqual({ kind: 'string', enum: ['read-only', 'workspace-write', 'danger-full-access'] });
  });

  it('turns a union tagged by `type` into a variant select whose forms leave the tag out', () => {
    const field = describeField(
      {
        oneOf: [
          { type: 'object', properties: { type: { type: 'string', const: 'text' }, text: { type: 'string' } }, required: ['type', 'text'] },
          { type: 'object', properties: { type: { type: 'string', const: 'image' }, url: { type: 'string' } }, required: ['type'] },
        ],
      },
      {},
    ).field as Extract<Field, { kind: 'choice' }>;
    expect(field).toEqual({
      kind: 'choice',
      options: [
        { label: 'text', tag: 'text', field: { kind: 'object', properties: [{ name: 'text', required: true, nullable: false, field: { kind: 'string' } }] } },
        { label: 'image', tag: 'image', field: { kind: 'object', properties: [{ name: 'url', required: false, nullable: false, field: { kind: 'string' } }] } },
      ],
    });
    expect(startValue(field.options[0]!)).toEqual({ type: 'text', text: '' });
    expect(startValue(field.options[1]!)).toEqual({ type: 'image' });
    expect(chosenOption(field, { type: 'image', url: 'u' })).toBe(1);
    expect(chosenOption(field, 'text')).toBe(-1);
  });

  it('edits arrays of objects and recursive values as JSON', () => {
    const { field } = formOf('TurnStartParams');
    if (field.kind !== 'object') throw new Error('expected an object');
    const byName = Object.fromEntries(field.properties.map((property) => [property.name, property]));
    expect(byName.threadId).toEqual({ name: 'threadId', required: true, nullable: false, field: { kind: 'string' } });
    expect(byName.input!.field).toEqual({ kind: 'json' });
    expect(byName.outputSchema!.field).toEqual({ kind: 'json' });
    expect(byName.effort).toEqual({ name: 'effort', required: false, nullable: true, field: { kind: 'string' } });
  });

  it('omits unset fields and reads one value per line', () => {
    expect(withProperty({ limit: 1, cursor: 'c' }, 'limit', undefined)).toEqual({ cursor: 'c' });
    expect(withProperty({ cursor: 'c' }, 'limit', 2)).toEqual({ cursor: 'c', limit: 2 });
    expect(withProperty(undefined, 'limit', 2)).toEqual({ limit: 2 });
    expect(parseLines(' a \n\nb\n', 'string')).toEqual(['a', 'b']);
    expect(parseLines('1\n2', 'integer')).toEqual([1, 2]);
    expect(parseLines('\n \n', 'string')).toBeUndefined();
  });
});
