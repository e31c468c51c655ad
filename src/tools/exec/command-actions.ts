// What a command line does, for a client to show: Codex's CommandAction list (`read` a file, `listFiles`,
// `search`, else `unknown`), read from the words of each command (shell-words.ts). Facts follow Codex's
// parse_command: the reading tools (cat, bat, less, more, head/tail/nl with a file, `sed -n 'A,Bp' file`),
// listers (ls, eza, exa, tree, du, `rg --files`, `git ls-files`, fd/find without a pattern) and
// searchers (rg, grep, `git grep`, ag, ack, fd/find with a pattern); a `bash -lc '…'` wrapper is
// looked through; `cd dir` is not an action but makes later reads' paths relative to it; helpers
// that only shape a pipeline's output (wc, sort, head -n 5 …) are dropped.
//
// Keel is stricter than Codex: when any command of the line is not one of those (it may change
// something: `rm`, `sed -i`, `find -delete`, `xargs rm`, `tee file`, a redirection), the whole line
// is one `unknown` action, so a client never shows "read a.txt" for `cat a.txt && rm -rf x`; and a
// helper or searcher that can write or run something (`sort -o`, awk's system() or `>`, sed's `w`
// or `e`, `fd -x`, `rg --pre`, `tree -o`, `git grep -O`) counts as such a command. This is what a
// client shows, not a verdict: whether a line only reads (what `untrusted` runs unasked) is
// read-only.ts's allowlist of programs and options. Paths are reported as written (Codex shortens them for display).
import { joinShellWords, shellScript } from './shell.js';
import { splitCommands } from './shell-words.js';

export type CommandAction =
  | { type: 'read'; command: string; name: string; path: string }
  | { type: 'listFiles'; command: string; path: string | null }
  | { type: 'search'; command: string; query: string | null; path: string | null }
  | { type: 'unknown'; command: string };

export function parseCommandActions(line: string): CommandAction[] {
  const written = line.trim();
  const unknown: CommandAction[] = [{ type: 'unknown', command: written }];
  const commands = splitCommands(line);
  if (commands === null || commands.length === 0) return unknown;
  const script = shellScript(line);
  if (script !== null) return parseCommandActions(script);
  let cwd: string | null = null;
  const actions: CommandAction[] = [];
  for (const { words } of commands) {
    if (isFormattingHelper(words)) continue;
    if (words[0] === 'cd') {
      const target = cdTarget(words.slice(1));
      if (target !== null) cwd = cwd === null ? target : joinPath(cwd, target);
      continue;
    }
    const action = summarize(words);
    actions.push(action.type === 'read' && cwd !== null ? { ...action, path: joinPath(cwd, action.path) } : action);
  }
  const meaningful = actions.length > 1 ? actions.filter((action) => !(action.type === 'unknown' && action.command === 'true')) : actions;
  if (meaningful.length === 0 || meaningful.some((action) => action.type === 'unknown')) return unknown;
  const deduped = meaningful.filter((action, i) => i === 0 || JSON.stringify(action) !== JSON.stringify(meaningful[i - 1]));
  // One command and no connectors: the line as it was written.
  if (deduped.length === 1 && commands.length === 1) return [{ ...deduped[0]!, command: written }];
  return deduped;
}

function summarize(words: string[]): CommandAction {
  const command = joinShellWords(words);
  const [head, ...args] = words as [string, ...string[]];
  const read = (path: string | null): CommandAction => (path === null ? { type: 'unknown', command } : { type: 'read', command, name: basename(path), path });
  const listOrSearch = (query: string | null, path: string | null): CommandAction =>
    query === null ? { type: 'listFiles', command, path } : { type: 'search', command, query, path };
  switch (head) {
    case 'ls':
      return { type: 'listFiles', command, path: firstOperand(args, ['-I', '-w', '--block-size', '--format', '--time-style', '--color', '--quoting-style']) };
    case 'eza':
    case 'exa':
      return { type: 'listFiles', command, path: firstOperand(args, ['-I', '--ignore-glob', '--color', '--sort', '--time-style', '--time']) };
    case 'tree':
      if (args.includes('-o')) return { type: 'unknown', command };
      return { type: 'listFiles', command, path: firstOperand(args, ['-L', '-P', '-I', '--charset', '--filelimit', '--sort']) };
    case 'du':
      return { type: 'listFiles', command, path: firstOperand(args, ['-d', '--max-depth', '-B', '--block-size', '--exclude', '--time-style']) };
    case 'rg':
    case 'rga':
    case 'ripgrep-all': {
      // --pre runs a program on every file searched.
      if (args.some((arg) => arg === '--pre' || arg.startsWith('--pre='))) return { type: 'unknown', command };
      const operands = operandsOf(args, ['-g', '--glob', '--iglob', '-t', '--type', '--type-add', '--type-not', '-m', '--max-count', '-A', '-B', '-C', '--context', '--max-depth']);
      if (args.includes('--files')) return { type: 'listFiles', command, path: operands[0] ?? null };
      return { type: 'search', command, query: operands[0] ?? null, path: operands[1] ?? null };
    }
    case 'git':
      if (args[0] === 'grep' && !args.some((arg) => arg === '-O' || arg.startsWith('--open-files-in-pager'))) return grepLike(command, args.slice(1));
      if (args[0] === 'ls-files') return { type: 'listFiles', command, path: firstOperand(args.slice(1), ['--exclude', '--exclude-from', '--pathspec-from-file']) };
      return { type: 'unknown', command };
    case 'grep':
    case 'egrep':
    case 'fgrep':
      return grepLike(command, args);
    case 'ag':
    case 'ack':
    case 'pt': {
      const operands = operandsOf(args, ['-G', '-g', '--file-search-regex', '--ignore-dir', '--ignore-file', '--path-to-ignore']);
      return { type: 'search', command, query: operands[0] ?? null, path: operands[1] ?? null };
    }
    case 'fd': {
      if (args.some((arg) => ['-x', '--exec', '-X', '--exec-batch'].includes(arg))) return { type: 'unknown', command };
      const operands = operandsOf(args, ['-t', '--type', '-e', '--extension', '-E', '--exclude', '--search-path', '-d', '--max-depth']);
      if (operands.length === 1 && isPathish(operands[0]!)) return listOrSearch(null, operands[0]!);
      return listOrSearch(operands[0] ?? null, operands[1] ?? null);
    }
    case 'find':
      return findAction(command, args);
    case 'cat':
    case 'more':
      return read(singleOperand(args, []));
    case 'bat':
    case 'batcat':
      return read(singleOperand(args, ['--theme', '--language', '--style', '--terminal-width', '--tabs', '--line-range', '--map-syntax']));
    case 'less':
      return read(singleOperand(args, ['-p', '-P', '-x', '-y', '-z', '-j', '--pattern', '--prompt', '--tabs', '--shift', '--jump-target']));
    case 'head':
    case 'tail':
      return read(headTailFile(args));
    case 'nl':
      return read(singleOperand(args, ['-b', '-w', '-s', '-v', '-i', '-n']));
    case 'sed':
      return read(sedReadPath(args));
    default:
      return { type: 'unknown', command };
  }
}

/** Helpers that only shape a pipeline's output; a form that names a file or writes one is not one. */
function isFormattingHelper(words: string[]): boolean {
  const [head, ...args] = words as [string, ...string[]];
  switch (head) {
    case 'sort':
      return !args.some((arg) => arg === '-o' || arg.startsWith('--output') || /^-[a-zA-Z]*o/.test(arg));
    case 'wc':
    case 'tr':
    case 'cut':
    case 'uniq':
    case 'column':
    case 'yes':
    case 'printf':
      return true;
    case 'tee':
      return operandsOf(args, []).length === 0;
    case 'head':
    case 'tail':
      return headTailFile(args) === null && !args.some((arg) => !arg.startsWith('-') && !/^\+?\d+$/.test(arg));
    case 'sed':
      return sedReadPath(args) === null && sedOnlyPrints(args);
    case 'awk':
      return awkDataFile(args) === null && awkOnlyPrints(args);
    case 'nl':
      return operandsOf(args, ['-b', '-w', '-s', '-v', '-i', '-n']).length === 0;
    case 'xargs': {
      // Only when what it runs is itself a read, a search or a listing.
      const sub = xargsCommand(args);
      return sub !== null && summarize(sub).type !== 'unknown';
    }
    default:
      return false;
  }
}

function grepLike(command: string, args: string[]): CommandAction {
  let pattern: string | null = null;
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (arg === '-e' || arg === '--regexp' || arg === '-f' || arg === '--file') {
      pattern ??= args[i + 1] ?? null;
      i++;
    } else if (arg.startsWith('--regexp=') || arg.startsWith('--file=')) {
      pattern ??= arg.slice(arg.indexOf('=') + 1);
    } else if (['-m', '--max-count', '-C', '--context', '-A', '--after-context', '-B', '--before-context', '--include', '--exclude', '--exclude-dir'].includes(arg)) {
      i++;
    } else if (/^-[ef]./.test(arg)) {
      pattern ??= arg.slice(2);
    } else if (!arg.startsWith('-')) {
      operands.push(arg);
    }
  }
  const query = pattern ?? operands[0] ?? null;
  const path = operands[pattern === null ? 1 : 0] ?? null;
  return { type: 'search', command, query, path };
}

const FIND_VALUE_FLAGS = ['-type', '-name', '-iname', '-path', '-ipath', '-regex', '-iregex', '-perm', '-user', '-group', '-size', '-maxdepth', '-mindepth', '-newer', '-printf'];
/** find actions that run or change something. */
const FIND_ACTIONS = new Set(['-delete', '-exec', '-execdir', '-ok', '-okdir', '-fprint', '-fprint0', '-fprintf', '-fls']);

function findAction(command: string, args: string[]): CommandAction {
  if (args.some((arg) => FIND_ACTIONS.has(arg))) return { type: 'unknown', command };
  const path = operandsOf(args, FIND_VALUE_FLAGS).find((arg) => arg !== '!' && arg !== '(' && arg !== ')') ?? '.';
  const at = args.findIndex((arg) => ['-name', '-iname', '-path', '-regex'].includes(arg));
  const query = at === -1 ? null : (args[at + 1] ?? null);
  return query === null ? { type: 'listFiles', command, path } : { type: 'search', command, query, path };
}

/** `head -n 50 file`, `head -n50 file`, `tail -n +10 file`, `head file`: the file; else null. */
function headTailFile(args: string[]): string | null {
  const count = /^\+?\d+$/;
  if (args.length === 1 && !args[0]!.startsWith('-')) return args[0]!;
  if (args.length === 3 && (args[0] === '-n' || args[0] === '-c') && count.test(args[1]!) && !args[2]!.startsWith('-')) return args[2]!;
  if (args.length === 2 && /^-[nc]\+?\d+$/.test(args[0]!) && !args[1]!.startsWith('-')) return args[1]!;
  return null;
}

/** `sed -n '10,20p' file` (or `sed -n 5p file`): the file; else null. */
function sedReadPath(args: string[]): string | null {
  if (args.length === 3 && args[0] === '-n' && /^(\d+|\$)(,(\d+|\$))?p$/.test(args[1]!) && !args[2]!.startsWith('-')) return args[2]!;
  return null;
}

/** A sed line that only prints: no -i, and each command of its script a print, delete, quit or plain substitution (not `w`, `e`…). */
function sedOnlyPrints(args: string[]): boolean {
  if (args.some((arg) => /^-[a-zA-Z]*i/.test(arg) || arg.startsWith('--in-place') || arg === '-f' || arg.startsWith('--file'))) return false;
  const scripts: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-e' || args[i] === '--expression') scripts.push(args[++i] ?? '');
    else if (args[i]!.startsWith('--expression=')) scripts.push(args[i]!.slice('--expression='.length));
  }
  if (scripts.length === 0) scripts.push(operandsOf(args, []).at(0) ?? '');
  const address = String.raw`(?:\d+|\$|/[^/]*/)`;
  const printing = new RegExp(String.raw`^\s*(?:${address}(?:,${address})?)?\s*(?:[pdqP=]|s(.)(?:(?!\1).)*\1(?:(?!\1).)*\1[gpI0-9]*)\s*$`);
  return scripts.every((script) => script.split(/[;\n]/).every((part) => part.trim() === '' || printing.test(part)));
}

/** An awk program that only prints: none of system(), getline, pipes or redirections (nor a program file). */
function awkOnlyPrints(args: string[]): boolean {
  if (args.includes('-f') || args.includes('--file')) return false;
  const program = operandsOf(args, ['-F', '-v', '--field-separator', '--assign']).at(0) ?? '';
  return !/system|getline|[|>]/.test(program);
}

/** `awk 'prog' file` or `awk -f prog.awk file`: the data file; null when awk reads its stdin. */
function awkDataFile(args: string[]): string | null {
  const operands = operandsOf(args, ['-F', '-v', '-f', '--field-separator', '--assign', '--file']);
  const hasScriptFile = args.includes('-f') || args.includes('--file');
  return (hasScriptFile ? operands[0] : operands[1]) ?? null;
}

/** The command xargs runs, or null when it names none. */
function xargsCommand(args: string[]): string[] | null {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return args.length > i + 1 ? args.slice(i + 1) : null;
    if (!arg.startsWith('-')) return args.slice(i);
    if (['-E', '-e', '-I', '-L', '-n', '-P', '-s', '-d', '-a'].includes(arg)) i++;
  }
  return null;
}

function cdTarget(args: string[]): string | null {
  let target: string | null = null;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--') return args[i + 1] ?? null;
    if (!args[i]!.startsWith('-')) target = args[i]!;
  }
  return target;
}

/** The operands of `args`: flags dropped, with the value of each flag in `valueFlags`; everything after `--`. */
function operandsOf(args: readonly string[], valueFlags: readonly string[]): string[] {
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (valueFlags.includes(arg)) i++;
    else if (!arg.startsWith('-') || arg === '-') operands.push(arg);
  }
  return operands;
}

function firstOperand(args: readonly string[], valueFlags: readonly string[]): string | null {
  return operandsOf(args, valueFlags)[0] ?? null;
}

function singleOperand(args: readonly string[], valueFlags: readonly string[]): string | null {
  const operands = operandsOf(args, valueFlags);
  return operands.length === 1 ? operands[0]! : null;
}

function isPathish(word: string): boolean {
  return word === '.' || word === '..' || word.includes('/');
}

function basename(path: string): string {
  const parts = path.split('/').filter((part) => part !== '');
  return parts[parts.length - 1] ?? path;
}

function joinPath(base: string, path: string): string {
  if (path.startsWith('/')) return path;
  return `${base.replace(/\/+$/, '')}/${path}`;
}
