// schema.json, as the build writes it for the request console: every client request of the method
// table and nothing else, each with its params' definition, and every `$ref` resolvable inside it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupByPrefix, type ConsoleSchema } from '../../../clients/web/src/console/console-schema.js';
import { repoRoot } from '../../helpers/conformance.js';

describe('the console schema', () => {
  it('holds the client requests and exactly the definitions their params reach', () => {
    // vitest's global setup has just built dist/.
    const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, 'dist', 'inspector', 'schema.json'), 'utf8')) as ConsoleSchema;
    const table = JSON.parse(fs.readFileSync(path.join(repoRoot, 'schema', 'methods.json'), 'utf8')) as Array<{ method: string; direction: string; stability: string; params: string | null; summary: string }>;
    expect(schema.methods).toEqual(table.filter((entry) => entry.direction === 'clientRequest').map(({ method, stability, params, summary }) => ({ method, stability, params, summary })));
    const reached = new Set<string>();
    const visit = (name: string) => {
      if (reached.has(name)) return;
      reached.add(name);
      expect(schema.definitions[name], `definition ${name}`).toBeDefined();
      for (const match of JSON.stringify(schema.definitions[name]).matchAll(/"\$ref":"#\/definitions\/([^"]+)"/g)) visit(match[1]!);
    };
    for (const entry of schema.methods) if (entry.params !== null) visit(entry.params);
    expect(Object.keys(schema.definitions).sort()).toEqual([...reached].sort());
  });

  it('groups methods by prefix in schema order', () => {
    const entry = (method: string) => ({ method, stability: 'stable' as const, params: null, summary: '' });
    expect(groupByPrefix([entry('thread/start'), entry('initialize'), entry('turn/start'), entry('thread/list')])).toEqual([
      { prefix: 'thread', methods: [entry('thread/start'), entry('thread/list')] },
      { prefix: '(no prefix)', methods: [entry('initialize')] },
      { prefix: 'turn', methods: [entry('turn/start')] },
    ]);
  });
});
