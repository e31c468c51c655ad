// The YAML front matter of a SKILL.md: the block between a first line `---` and the next `---`.
// Skills use a small part of YAML — `key: value` pairs, quoted strings, `|`/`>` block scalars,
// `- item` lists and one level of nested map (`metadata:`) — and that part is what is read here,
// so Keel needs no YAML dependency. Deeper nesting (which no field Keel reads uses) is kept as its
// raw text; a line that fits none of this is reported as an error naming the line.

export type FrontMatterValue = string | string[] | { [key: string]: string | string[] };
export type FrontMatter = Record<string, FrontMatterValue>;

export type FrontMatterResult = { ok: true; fields: FrontMatter; body: string } | { ok: false; message: string };

/** Splits a SKILL.md into its front matter (parsed) and its body. */
export function parseFrontMatter(text: string): FrontMatterResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trim() !== '---') return { ok: false, message: 'missing YAML front matter delimited by ---' };
  const end = lines.findIndex((line, i) => i > 0 && line.trim() === '---');
  if (end === -1) return { ok: false, message: 'the YAML front matter is not closed by a line ---' };
  try {
    return { ok: true, fields: parseBlock(lines.slice(1, end), 1), body: lines.slice(end + 1).join('\n') };
  } catch (error) {
    return { ok: false, message: `invalid YAML: ${(error as Error).message}` };
  }
}

const KEY_LINE = /^([A-Za-z0-9_][A-Za-z0-9_.-]*)\s*:(?:\s+(.*))?\s*$/;

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

const isBlank = (line: string) => line.trim() === '' || line.trimStart().startsWith('#');

/** A map of keys at the indentation of its first line; `lineNo` is the file line of `lines[0]`. */
function parseBlock(lines: readonly string[], lineNo: number, nested = false): FrontMatter {
  // Only values of the top level and of one nested map are read; deeper ones are raw text.
  const out: FrontMatter = {};
  const base = lines.find((line) => !isBlank(line));
  const indent = base === undefined ? 0 : indentOf(base);
  for (let i = 0; i < lines.length; ) {
    const line = lines[i]!;
    if (isBlank(line)) {
      i++;
      continue;
    }
    const at = lineNo + i + 1;
    if (indentOf(line) !== indent) throw new Error(`unexpected indentation at line ${at}`);
    const match = KEY_LINE.exec(line.trim());
    if (match === null) throw new Error(`expected \`key: value\` at line ${at}`);
    const [, key, raw = ''] = match;
    if (Object.hasOwn(out, key!)) throw new Error(`duplicate key \`${key}\` at line ${at}`);
    // The lines that belong to this key: those indented deeper than it (or blank).
    let next = i + 1;
    while (next < lines.length && (lines[next]!.trim() === '' || indentOf(lines[next]!) > indent)) next++;
    const children = lines.slice(i + 1, next);
    const value = raw.trim();
    const filled = children.filter((child) => !isBlank(child));
    if (/^[|>][+-]?$/.test(value)) out[key!] = blockScalar(children, value.startsWith('>'));
    else if (value === '' && filled.length > 0 && filled[0]!.trimStart().startsWith('-')) out[key!] = sequence(filled, at);
    else if (value === '' && filled.length > 0) {
      out[key!] = nested ? filled.map((child) => child.trim()).join('\n') : (parseBlock(children, lineNo + i + 1, true) as Record<string, string>);
    } else out[key!] = scalar([value, ...children.map((child) => child.trim()).filter((child) => child !== '')].join(' '), at);
    i = next;
  }
  return out;
}

/** A `- item` list of scalars; an item that is itself a map or list is kept as its raw text. */
function sequence(lines: readonly string[], at: number): string[] {
  const indent = indentOf(lines[0]!);
  const items: string[] = [];
  for (const line of lines) {
    const trimmed = line.trimStart();
    if (indentOf(line) === indent && trimmed.startsWith('-')) items.push(trimmed.slice(1).trim());
    else if (items.length > 0) items[items.length - 1] += `\n${trimmed}`;
  }
  return items.map((item, i) => (item.includes('\n') || /^[A-Za-z0-9_.-]+:(\s|$)/.test(item) ? item : scalar(item, at + i + 1)));
}

function blockScalar(lines: readonly string[], folded: boolean): string {
  const body = lines.filter((line, i) => line.trim() !== '' || lines.slice(i).some((rest) => rest.trim() !== ''));
  const indent = Math.min(...body.filter((line) => line.trim() !== '').map(indentOf));
  const text = body.map((line) => line.slice(Number.isFinite(indent) ? indent : 0));
  return folded ? text.join(' ').replace(/\s+/g, ' ').trim() : text.join('\n').trim();
}

function scalar(value: string, at: number): string {
  if (value.startsWith('"')) {
    if (!value.endsWith('"') || value.length < 2) throw new Error(`unterminated double-quoted string at line ${at}`);
    try {
      return JSON.parse(value) as string;
    } catch {
      throw new Error(`invalid double-quoted string at line ${at}`);
    }
  }
  if (value.startsWith("'")) {
    if (!value.endsWith("'") || value.length < 2) throw new Error(`unterminated single-quoted string at line ${at}`);
    return value.slice(1, -1).replace(/''/g, "'");
  }
  if (value.startsWith('[') || value.startsWith('{')) return value;
  // A plain scalar ends at a comment (` #`).
  const comment = value.search(/\s#/);
  return (comment === -1 ? value : value.slice(0, comment)).trim();
}
