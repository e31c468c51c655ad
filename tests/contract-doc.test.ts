// app-server.md is the contract clients read: every client request in the method table must have a
// hand-written section, i.e. a heading naming the method in backticks. The generated method list
// does not count (npm run gen writes every table entry there, so it would always pass), nor does a
// passing mention in prose or a heading inside a code block.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { methodTable } from '../src/protocol/method-table.js';
import { repoRoot } from './helpers/conformance.js';

const GENERATED_BEGIN = '<!-- generated:methods:begin';
const GENERATED_END = '<!-- generated:methods:end -->';

/** The doc as written by hand: without the generated method list and without fenced code blocks. */
function handWritten(doc: string): string[] {
  const begin = doc.indexOf(GENERATED_BEGIN);
  const end = doc.indexOf(GENERATED_END, begin);
  const prose = begin === -1 ? doc : doc.slice(0, begin) + (end === -1 ? '' : doc.slice(end + GENERATED_END.length));
  let fenced = false;
  return prose.split('\n').filter((line) => {
    const fence = /^\s*(```|~~~)/.test(line);
    if (fence) fenced = !fenced;
    return !fence && !fenced;
  });
}

/** The methods in `methods` that no hand-written heading of `doc` names in backticks, in order. */
function undocumentedMethods(doc: string, methods: readonly string[]): string[] {
  const named = new Set<string>();
  for (const line of handWritten(doc)) {
    if (!/^#{1,6}\s/.test(line)) continue;
    for (const match of line.matchAll(/`([^`]+)`/g)) named.add(match[1]!);
  }
  return methods.filter((method) => !named.has(method));
}

describe('undocumentedMethods', () => {
  const methods = ['thread/start', 'thread/list'];
  const generated = (...names: string[]) => [`${GENERATED_BEGIN} (npm run gen) -->`, ...names.map((n) => `| \`${n}\` | stable | x |`), GENERATED_END].join('\n');

  it.each<[string, string, string[]]>([
    ['a heading for each', '# Doc\n### `thread/start`\ntext\n### `thread/list` (stable)\n', []],
    ['one heading naming both', '## `thread/start`, `thread/list`\n', []],
    ['a method missing entirely', '### `thread/start`\n', ['thread/list']],
    ['a method only in the generated list', `### \`thread/start\`\n${generated('thread/start', 'thread/list')}\n`, ['thread/list']],
    ['a method only mentioned in prose', '### `thread/start`\nSee `thread/list` for paging.\n', ['thread/list']],
    ['a heading without backticks', '### `thread/start`\n### thread/list\n', ['thread/list']],
    ['a longer method name that contains it', '### `thread/start`\n### `thread/list/all`\n', ['thread/list']],
    ['a heading inside a code block', '### `thread/start`\n```md\n### `thread/list`\n```\n', ['thread/list']],
    ['an empty doc', '', ['thread/start', 'thread/list']],
  ])('%s', (_name, doc, missing) => {
    expect(undocumentedMethods(doc, methods)).toEqual(missing);
  });
});

it('app-server.md has a section for every client request method', () => {
  const docPath = path.join(repoRoot, 'app-server.md');
  if (!fs.existsSync(docPath)) expect.fail(`${docPath} is missing: it must document every client request`);
  const clientRequests = Object.entries(methodTable)
    .filter(([, spec]) => spec.direction === 'clientRequest')
    .map(([method]) => method);
  expect(clientRequests.length).toBeGreaterThan(0);
  expect(undocumentedMethods(fs.readFileSync(docPath, 'utf8'), clientRequests), 'client requests without a heading in app-server.md').toEqual([]);
});
