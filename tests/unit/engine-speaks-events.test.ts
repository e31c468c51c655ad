// The engine speaks Keel's events, signals and questions; the Codex wire lives at the session edge
// (src/server/codex-*.ts). Checked on the syntax of src/engine and src/tools (comments aside): no
// import of src/protocol, no string literal naming a Codex method that is not also one of Keel's
// event types, and no object literal with every field of a server request's params (the approval gate used to build
// `item/commandExecution/requestApproval` params itself). A second protocol is then a second
// session, not a second engine.
import fs from 'node:fs';
import path from 'node:path';
import { parseAst } from 'rolldown/parseAst';
import { describe, expect, it } from 'vitest';
import { methodTable } from '../../src/protocol/method-table.js';

const root = path.resolve(import.meta.dirname, '../..');
const folders = ['src/engine', 'src/tools'];

function sourceFiles(folder: string): string[] {
  return fs
    .readdirSync(path.join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => path.join(folder, name))
    .sort();
}

const files = folders.flatMap(sourceFiles).map((file) => ({ file, text: fs.readFileSync(path.join(root, file), 'utf8') }));

/** Keel's own event types, as src/core/events.ts declares them (`type: 'item/completed'` in the KeelEvent union). */
function keelEventTypes(): Set<string> {
  const text = fs.readFileSync(path.join(root, 'src/core/events.ts'), 'utf8');
  return new Set([...text.matchAll(/\(Base & \{ type: '([^']+)'/g)].map((match) => match[1]!));
}

const eventTypes = keelEventTypes();
const codexOnly = Object.keys(methodTable).filter((method) => !eventTypes.has(method));

type Node = { type: string; start: number; [field: string]: unknown };

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

function children(node: Node): Node[] {
  return Object.values(node).flatMap((value) => (Array.isArray(value) ? value.filter(isNode) : isNode(value) ? [value] : []));
}

/** Property names of an object literal, or null when a spread or computed key hides some. */
function literalKeys(node: Node): Set<string> | null {
  const keys = new Set<string>();
  for (const property of node.properties as Node[]) {
    if (property.type !== 'Property' || property.computed === true) return null;
    const key = property.key as Node;
    keys.add(key.type === 'Identifier' ? (key.name as string) : String(key.value));
  }
  return keys;
}

/** Node's emitters have an 'error' event too: `x.on('error', …)` names theirs, not Codex's `error` notification. */
function isListenedEvent(node: Node, parent: Node | null): boolean {
  if (parent?.type !== 'CallExpression' || (parent.arguments as Node[])[0] !== node) return false;
  const callee = parent.callee as Node;
  return callee.type === 'MemberExpression' && ['on', 'once', 'off', 'emit', 'prependListener', 'removeListener'].includes((callee.property as Node).name as string);
}

function stringOf(node: Node): string | null {
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && (node.expressions as Node[]).length === 0) return ((node.quasis as Node[])[0]!.value as { cooked: string }).cooked;
  return null;
}

interface Parsed {
  file: string;
  strings: Array<{ line: number; text: string }>;
  objects: Array<{ line: number; keys: Set<string> }>;
}

/** Parsed with the TypeScript parser vitest's own toolchain uses (rolldown's, oxc): comments are not code. */
function parse(file: string, text: string): Parsed {
  const parsed: Parsed = { file, strings: [], objects: [] };
  const lineOf = (node: Node) => text.slice(0, node.start).split('\n').length;
  const visit = (node: Node, parent: Node | null): void => {
    const literal = stringOf(node);
    if (literal !== null && !isListenedEvent(node, parent)) parsed.strings.push({ line: lineOf(node), text: literal });
    if (node.type === 'ObjectExpression') {
      const keys = literalKeys(node);
      if (keys !== null) parsed.objects.push({ line: lineOf(node), keys });
    }
    for (const child of children(node)) visit(child, node);
  };
  visit(parseAst(text, { lang: 'ts' }, file) as unknown as Node, null);
  return parsed;
}

const parsedFiles = files.map(({ file, text }) => parse(file, text));

const serverRequestParams = Object.entries(methodTable).flatMap(([method, entry]) => {
  if (entry.direction !== 'serverRequest') return [];
  const shape = (entry.params as { shape?: Record<string, unknown> }).shape;
  return shape === undefined ? [] : [{ method, keys: Object.keys(shape) }];
});

describe('the engine speaks events; the Codex wire is at the edge', () => {
  it('reads the names it checks from the method table and the event types', () => {
    expect(eventTypes.has('item/completed')).toBe(true);
    expect(eventTypes.has('thread/created')).toBe(true);
    expect(codexOnly).toContain('item/commandExecution/requestApproval');
    expect(codexOnly).toContain('thread/status/changed');
    expect(codexOnly).not.toContain('item/completed');
    expect(serverRequestParams.map((request) => request.method)).toContain('item/fileChange/requestApproval');
    expect(files.length).toBeGreaterThan(50);
  });

  it('imports nothing from src/protocol', () => {
    const imports = files.flatMap(({ file, text }) =>
      [...text.matchAll(/(?:from\s+|import\s*\(\s*)'([^']+)'/g)]
        .map((match) => match[1]!)
        .filter((target) => target.startsWith('.') && path.resolve(path.dirname(path.join(root, file)), target).startsWith(path.join(root, 'src/protocol') + path.sep))
        .map((target) => `${file}: ${target}`),
    );
    expect(imports).toEqual([]);
  });

  it('names no Codex method that is not a Keel event type', () => {
    const codex = new Set(codexOnly);
    const named = parsedFiles.flatMap(({ file, strings }) => strings.filter(({ text }) => codex.has(text)).map(({ line, text }) => `${file}:${line}: ${text}`));
    expect(named).toEqual([]);
  });

  it("builds no object with every field of a server request's params", () => {
    const built = parsedFiles.flatMap(({ file, objects }) =>
      objects.flatMap(({ line, keys }) =>
        serverRequestParams.filter((request) => request.keys.every((key) => keys.has(key))).map((request) => `${file}:${line}: ${request.method}`),
      ),
    );
    expect(built).toEqual([]);
  });
});
