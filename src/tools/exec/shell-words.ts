// A small POSIX shell word splitter, enough to read what a command line does: words (with '…',
// "…" and backslash quoting resolved) and the connectors between commands (&&, ||, ;, |, newline).
// Anything it cannot read for certain — expansions ($VAR, $(…), `…`), redirections, subshells and
// groups, background jobs, here-documents, an unterminated quote — makes it give up (null): a
// caller then says "unknown" rather than guess. What it cannot resolve but can see — an unquoted
// glob (`*`, `?`, `[`) or brace list (`{a,b}`, `{1..3}`) that the shell may turn into other words —
// it marks, so a caller can refuse to vouch for words it does not know.

export type Connector = '&&' | '||' | ';' | '|';

export interface SimpleCommand {
  words: string[];
  /** Per word: it holds an unquoted glob or brace list, so the shell may expand it into other words. */
  expands: boolean[];
  /** The connector before this command; null for the first. */
  after: Connector | null;
}

const WORD_BREAK = new Set([' ', '\t', '\n', ';', '&', '|']);
/** Unquoted, these start something that is not a plain word. */
const UNREADABLE = new Set(['$', '`', '(', ')', '<', '>']);

/** The commands of `line` in order, or null when it holds more than words and connectors. */
export function splitCommands(line: string): SimpleCommand[] | null {
  const commands: SimpleCommand[] = [];
  let words: string[] = [];
  let expands: boolean[] = [];
  let after: Connector | null = null;
  // False when there is no command before the connector (`&& x`, `a | | b`): not a command line.
  const endCommand = (connector: Connector): boolean => {
    if (words.length === 0) return false;
    commands.push({ words, expands, after });
    words = [];
    expands = [];
    after = connector;
    return true;
  };
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '\\' && line[i + 1] === '\n') {
      i += 2;
    } else if (c === '\n' && words.length === 0) {
      // A blank line, or a line break after a connector (`a &&` ⏎ `b`).
      i++;
    } else if (c === '\n' || c === ';') {
      if (c === ';' && line[i + 1] === ';') return null;
      if (!endCommand(';')) return null;
      i++;
    } else if (c === '&') {
      if (line[i + 1] !== '&') return null;
      if (!endCommand('&&')) return null;
      i += 2;
    } else if (c === '|') {
      const connector: Connector = line[i + 1] === '|' ? '||' : '|';
      if (line[i + 1] === '&') return null;
      if (!endCommand(connector)) return null;
      i += connector.length;
    } else if (c === '#') {
      while (i < line.length && line[i] !== '\n') i++;
    } else {
      const read = readWord(line, i);
      if (read === null) return null;
      words.push(read.word);
      expands.push(read.expands);
      i = read.end;
    }
  }
  if (words.length > 0) commands.push({ words, expands, after });
  else if (after === '|' || after === '&&' || after === '||') return null;
  return commands;
}

/** Unquoted, these make a glob; `{` makes a brace list when a `,` or `..` follows it in the word. */
const GLOB = new Set(['*', '?', '[']);

function readWord(line: string, start: number): { word: string; end: number; expands: boolean } | null {
  let word = '';
  let expands = false;
  let brace = false;
  let i = start;
  while (i < line.length) {
    const c = line[i]!;
    if (WORD_BREAK.has(c)) break;
    if (UNREADABLE.has(c)) return null;
    if (c === "'") {
      const close = line.indexOf("'", i + 1);
      if (close === -1) return null;
      word += line.slice(i + 1, close);
      i = close + 1;
    } else if (c === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return null;
        const d = line[i]!;
        if (d === '"') break;
        if (d === '$' || d === '`') return null;
        if (d === '\\' && i + 1 < line.length && '"\\$`\n'.includes(line[i + 1]!)) {
          if (line[i + 1] !== '\n') word += line[i + 1];
          i += 2;
        } else {
          word += d;
          i++;
        }
      }
      i++;
    } else if (c === '\\') {
      if (i + 1 >= line.length) return null;
      if (line[i + 1] !== '\n') word += line[i + 1];
      i += 2;
    } else {
      if (GLOB.has(c)) expands = true;
      if (c === '{') brace = true;
      word += c;
      i++;
    }
  }
  // A `,` or `..` anywhere in the word, quoted or not, may make a list of an unquoted `{`.
  if (brace && /,|\.\./.test(line.slice(start, i))) expands = true;
  // `{ …; }` groups and `!` negation are shell syntax, not words a command receives.
  if (i - start === 1 && (word === '{' || word === '}' || word === '!')) return null;
  return { word, end: i, expands };
}
