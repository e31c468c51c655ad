// The programs the read-only classifier (read-only.ts) vouches for, each with the options it
// allows: programs that read, list, search or shape their input into their output, with none of
// the options that write a file (`sort -o`, `uniq in OUT`, `tree -o`), run a program (`rg --pre`,
// `sort --compress-program`, `find -exec`, awk's `system()`), or read code to run (`sed -f`,
// `awk -f`). Facts from Codex's is_safe_command (codex-rs/core/src/command_safety), made an
// allowlist of options as well as of programs. git is in read-only-git.ts.
import { known, readArguments, expandsSafely, type Word } from './read-only-options.js';

export type ArgumentCheck = (args: readonly Word[]) => boolean;

const anything: ArgumentCheck = () => true;
const nothing: ArgumentCheck = (args) => args.length === 0;

const GREP = known({
  flags: 'abcEFGhHiIlLnoPqrRsTUvwxyZz',
  valued: 'efmABCdD',
  counts: true,
  long: [
    '--extended-regexp', '--fixed-strings', '--basic-regexp', '--perl-regexp', '--ignore-case', '--no-ignore-case', '--word-regexp', '--line-regexp',
    '--no-messages', '--invert-match', '--count', '--files-with-matches', '--files-without-match', '--only-matching', '--quiet', '--silent',
    '--byte-offset', '--with-filename', '--no-filename', '--line-number', '--no-line-number', '--initial-tab', '--null', '--null-data', '--text',
    '--recursive', '--dereference-recursive', '--line-buffered',
  ],
  longValued: ['--regexp', '--file', '--max-count', '--after-context', '--before-context', '--context', '--include', '--exclude', '--exclude-dir', '--exclude-from', '--directories', '--devices', '--label', '--binary-files'],
  longAttached: ['--color', '--colour'],
});

const RIPGREP = known({
  // Not -z/--search-zip (runs decompressors), --pre, --pre-glob, --hostname-bin, --hyperlink-format.
  flags: 'iSsvwxnNlcFuUHIoqaLPbp0.hV',
  valued: 'eEfgtTmABCjMdr',
  long: [
    '--files', '--hidden', '--no-hidden', '--no-ignore', '--no-ignore-vcs', '--no-ignore-dot', '--no-ignore-global', '--no-ignore-parent', '--no-ignore-exclude',
    '--no-ignore-files', '--follow', '--count', '--count-matches', '--files-with-matches', '--files-without-match', '--json', '--heading', '--no-heading',
    '--line-number', '--no-line-number', '--column', '--no-column', '--no-filename', '--with-filename', '--only-matching', '--multiline', '--multiline-dotall',
    '--pcre2', '--trim', '--vimgrep', '--quiet', '--text', '--stats', '--null', '--smart-case', '--ignore-case', '--case-sensitive', '--word-regexp',
    '--line-regexp', '--invert-match', '--passthru', '--glob-case-insensitive', '--no-messages', '--pretty', '--fixed-strings', '--type-list', '--byte-offset',
    '--no-config', '--unrestricted', '--max-columns-preview', '--crlf', '--no-unicode', '--line-buffered', '--block-buffered', '--no-require-git',
    '--one-file-system', '--include-zero', '--binary', '--no-binary', '--help', '--version',
  ],
  longValued: [
    '--regexp', '--file', '--glob', '--iglob', '--type', '--type-not', '--type-add', '--type-clear', '--max-count', '--after-context', '--before-context',
    '--context', '--threads', '--max-columns', '--max-depth', '--max-filesize', '--replace', '--sort', '--sortr', '--encoding', '--context-separator',
    '--field-match-separator', '--field-context-separator', '--path-separator', '--ignore-file', '--engine', '--color', '--colors',
  ],
});

const LS = known({
  flags: 'aAbBcCdfFgGhHiklLmnNopqQrRsStuUvxX1Z',
  valued: 'ITw',
  long: [
    '--all', '--almost-all', '--escape', '--ignore-backups', '--directory', '--classify', '--file-type', '--full-time', '--group-directories-first',
    '--no-group', '--human-readable', '--si', '--dereference', '--dereference-command-line', '--inode', '--literal', '--numeric-uid-gid', '--hide-control-chars',
    '--show-control-chars', '--quote-name', '--reverse', '--recursive', '--size', '--author', '--context', '--zero',
  ],
  longValued: ['--block-size', '--format', '--hide', '--ignore', '--indicator-style', '--quoting-style', '--sort', '--time', '--time-style', '--tabsize', '--width'],
  longAttached: ['--color', '--hyperlink'],
});

const HEAD_TAIL = {
  flags: 'qvz',
  valued: 'nc',
  counts: true,
  long: ['--quiet', '--silent', '--verbose', '--zero-terminated'],
  longValued: ['--lines', '--bytes'],
} as const;

/** Commands of a sed script that only print or edit the text on its way to stdout: not `w`, `e`, `r`, `R`, `W`, nor `s///w` or `s///e`. */
function sedScriptPrints(script: string): boolean {
  const address = String.raw`(?:\d+|\$|/[^/]*/)`;
  const printing = new RegExp(String.raw`^\s*(?:${address}(?:\s*,\s*${address})?)?\s*!?\s*(?:[pPdDqQ=lnNgGhHx]|s(.)(?:(?!\1).)*\1(?:(?!\1).)*\1[gpI0-9]*)\s*$`);
  return script.split(/[;\n]/).every((part) => part.trim() === '' || printing.test(part));
}

function sed(args: readonly Word[]): boolean {
  // Not -i/--in-place, -f/--file (a script from a file).
  const read = readArguments(args, {
    flags: 'nErsuz',
    valued: 'el',
    long: ['--quiet', '--silent', '--regexp-extended', '--separate', '--unbuffered', '--null-data', '--posix', '--debug', '--sandbox'],
    longValued: ['--expression', '--line-length'],
  });
  if (read === null) return false;
  const scripts = read.values.filter(([option]) => option === '-e' || option === '--expression').map(([, value]) => value);
  if (scripts.length === 0) {
    const script = read.operands[0];
    if (script === undefined || script.expands) return false;
    scripts.push(script.text);
  }
  return scripts.every(sedScriptPrints);
}

function awk(args: readonly Word[]): boolean {
  // Not -f (a program file), -i/--include, -l/--load, -E: only an inline program.
  const read = readArguments(args, { valued: 'Fv', longValued: ['--field-separator', '--assign'] });
  const program = read?.operands[0];
  if (read === null || program === undefined || program.expands) return false;
  // No command, pipe, redirection, co-process or extension: awk then only reads its input and prints.
  return !/system|getline|[|>]|@|close|fflush/.test(program.text);
}

/** find's primaries that only test or print, and those that take a value (the next word). */
const FIND_TESTS = new Set([
  '-print', '-print0', '-ls', '-prune', '-depth', '-empty', '-follow', '-mount', '-xdev', '-readable', '-writable', '-executable', '-true', '-false',
  '-quit', '-nouser', '-nogroup', '-not', '-a', '-o', '-and', '-or', '!', '(', ')', ',', '-noleaf', '-daystart', '-ignore_readdir_race', '-noignore_readdir_race',
]);
const FIND_VALUED = new Set([
  '-name', '-iname', '-path', '-ipath', '-wholename', '-iwholename', '-regex', '-iregex', '-type', '-xtype', '-size', '-mtime', '-mmin', '-atime', '-amin',
  '-ctime', '-cmin', '-newer', '-anewer', '-cnewer', '-perm', '-user', '-group', '-uid', '-gid', '-links', '-inum', '-samefile', '-maxdepth', '-mindepth',
  '-regextype', '-printf', '-lname', '-ilname', '-used', '-fstype',
]);

/** find: its paths, then an expression of tests and printing only (not -exec, -ok, -delete, -fprint…). */
function find(args: readonly Word[]): boolean {
  let i = 0;
  while (i < args.length && ['-H', '-L', '-P'].includes(args[i]!.text) && !args[i]!.expands) i++;
  // The paths: up to the first word that starts an expression.
  while (i < args.length && !/^[-!(),]/.test(args[i]!.text)) {
    if (!expandsSafely(args[i]!)) return false;
    i++;
  }
  for (; i < args.length; i++) {
    const word = args[i]!;
    if (word.expands) return false;
    if (FIND_TESTS.has(word.text)) continue;
    if (!FIND_VALUED.has(word.text) && !/^-newer[aBcmt][aBcmt]$/.test(word.text)) return false;
    const value = args[++i];
    if (value === undefined || !expandsSafely(value)) return false;
  }
  return true;
}

/** less and more: no option that writes a log file or runs a command, and no `+command` to run at start. */
const noStartCommand = (check: ArgumentCheck): ArgumentCheck => (args) => check(args) && !args.some((word) => word.text.startsWith('+'));

const BAT = known({
  flags: 'pnAPufd',
  valued: 'lrHm',
  long: ['--plain', '--number', '--show-all', '--diff', '--force-colorization', '--unbuffered', '--list-languages', '--list-themes', '--no-config'],
  longValued: ['--language', '--line-range', '--highlight-line', '--map-syntax', '--theme', '--style', '--tabs', '--wrap', '--terminal-width', '--paging', '--color', '--italic-text', '--decorations', '--file-name', '--diff-context'],
});

export const READ_ONLY_PROGRAMS: ReadonlyMap<string, ArgumentCheck> = new Map<string, ArgumentCheck>([
  ['cat', known({ flags: 'AbeEnstTuv', long: ['--show-all', '--number-nonblank', '--show-ends', '--number', '--squeeze-blank', '--show-tabs', '--show-nonprinting'] })],
  ['head', known(HEAD_TAIL)],
  ['tail', known({
    ...HEAD_TAIL,
    flags: 'qvzfF',
    valued: 'ncs',
    long: [...HEAD_TAIL.long, '--retry'],
    longAttached: ['--follow'],
    longValued: [...HEAD_TAIL.longValued, '--sleep-interval', '--max-unchanged-stats'],
  })],
  ['wc', known({ flags: 'clmwL', long: ['--bytes', '--chars', '--lines', '--words', '--max-line-length'] })],
  ['nl', known({
    flags: 'p',
    valued: 'bdfhilnsvw',
    long: ['--no-renumber'],
    longValued: ['--body-numbering', '--section-delimiter', '--footer-numbering', '--header-numbering', '--line-increment', '--join-blank-lines', '--number-format', '--number-separator', '--starting-line-number', '--number-width'],
  })],
  ['ls', LS],
  ['tree', known({
    flags: 'adfilxpsugDFqNQrtvUcChAJX',
    valued: 'LPI',
    long: ['--noreport', '--dirsfirst', '--gitignore', '--prune', '--matchdirs', '--ignore-case', '--du', '--si', '--inodes', '--device'],
    longValued: ['--charset', '--filelimit', '--sort', '--timefmt'],
  })],
  ['du', known({
    flags: 'abcDhHklLmPsSx0',
    valued: 'dBt',
    long: ['--all', '--apparent-size', '--bytes', '--total', '--human-readable', '--si', '--summarize', '--separate-dirs', '--one-file-system', '--dereference', '--count-links', '--null', '--inodes'],
    longValued: ['--max-depth', '--block-size', '--exclude', '--threshold', '--time-style'],
    longAttached: ['--time'],
  })],
  ['pwd', known({ flags: 'LP', maxOperands: 0 })],
  ['cd', known({ flags: 'LP', maxOperands: 1 })],
  ['echo', anything],
  ['printf', (args) => args.length > 0 && !args[0]!.text.startsWith('-') && args.every(expandsSafely)],
  ['true', nothing],
  ['false', nothing],
  ['grep', GREP],
  ['egrep', GREP],
  ['fgrep', GREP],
  ['rg', RIPGREP],
  ['find', find],
  ['sed', sed],
  ['awk', awk],
  ['sort', known({
    flags: 'bdfgiMhnRrVcCsuz',
    valued: 'ktS',
    long: ['--ignore-leading-blanks', '--dictionary-order', '--ignore-case', '--general-numeric-sort', '--ignore-nonprinting', '--month-sort', '--human-numeric-sort', '--numeric-sort', '--random-sort', '--reverse', '--version-sort', '--stable', '--unique', '--zero-terminated', '--merge'],
    longValued: ['--key', '--field-separator', '--buffer-size', '--parallel', '--sort'],
    longAttached: ['--check'],
  })],
  ['uniq', known({
    flags: 'cdDiuz',
    valued: 'fsw',
    long: ['--count', '--repeated', '--ignore-case', '--unique', '--zero-terminated'],
    longValued: ['--skip-fields', '--skip-chars', '--check-chars'],
    longAttached: ['--all-repeated', '--group'],
    maxOperands: 1,
  })],
  // jq's language reads and prints, nothing more (not --arg/--argjson here: each takes two words).
  ['jq', known({ flags: 'rjacnsSeCMRh', long: ['--raw-output', '--join-output', '--ascii-output', '--compact-output', '--null-input', '--slurp', '--sort-keys', '--exit-status', '--color-output', '--monochrome-output', '--raw-input', '--tab', '--seq', '--stream'], longValued: ['--indent'] })],
  ['cut', known({
    flags: 'snz',
    valued: 'bcfd',
    long: ['--complement', '--only-delimited', '--zero-terminated'],
    longValued: ['--bytes', '--characters', '--fields', '--delimiter', '--output-delimiter'],
  })],
  ['tr', known({ flags: 'cCdst', long: ['--complement', '--delete', '--squeeze-repeats', '--truncate-set1'] })],
  ['paste', known({ flags: 'sz', valued: 'd', long: ['--serial', '--zero-terminated'], longValued: ['--delimiters'] })],
  ['rev', known({})],
  ['tac', known({ flags: 'br', valued: 's', long: ['--before', '--regex'], longValued: ['--separator'] })],
  ['seq', known({ flags: 'w', valued: 'fs', long: ['--equal-width'], longValued: ['--format', '--separator'] })],
  ['basename', known({ flags: 'az', valued: 's', long: ['--multiple', '--zero'], longValued: ['--suffix'] })],
  ['dirname', known({ flags: 'z', long: ['--zero'] })],
  ['realpath', known({
    flags: 'eLmPqsz',
    long: ['--canonicalize-existing', '--canonicalize-missing', '--logical', '--physical', '--quiet', '--strip', '--no-symlinks', '--zero'],
    longValued: ['--relative-to', '--relative-base'],
  })],
  ['readlink', known({
    flags: 'efmnqsvz',
    long: ['--canonicalize', '--canonicalize-existing', '--canonicalize-missing', '--no-newline', '--quiet', '--silent', '--verbose', '--zero'],
  })],
  ['stat', known({ flags: 'LftZ', valued: 'c', long: ['--dereference', '--file-system', '--terse'], longValued: ['--format', '--printf'] })],
  // Not -z/-Z (decompressors), -C (compiles a magic file) nor -p (sets the access time back).
  ['file', known({
    flags: 'bcEhiklLNnrsS0',
    valued: 'eFfmP',
    long: ['--brief', '--mime', '--mime-type', '--mime-encoding', '--dereference', '--no-dereference', '--keep-going', '--no-pad', '--no-buffer', '--special-files', '--raw', '--print0', '--extension', '--apple'],
    longValued: ['--separator', '--files-from', '--magic-file', '--exclude'],
  })],
  ['which', known({ flags: 'as' })],
  ['whoami', nothing],
  ['id', known({ flags: 'gGnruz', long: ['--group', '--groups', '--name', '--real', '--user', '--zero'] })],
  ['uname', known({
    flags: 'asnrvmpio',
    long: ['--all', '--kernel-name', '--nodename', '--kernel-release', '--kernel-version', '--machine', '--processor', '--hardware-platform', '--operating-system'],
    maxOperands: 0,
  })],
  ['diff', known({
    flags: 'iEZbwBaqsyNTtpuecrd',
    valued: 'CUxXFIWS',
    long: ['--ignore-case', '--ignore-tab-expansion', '--ignore-trailing-space', '--ignore-space-change', '--ignore-all-space', '--ignore-blank-lines', '--text', '--brief', '--report-identical-files', '--side-by-side', '--new-file', '--unidirectional-new-file', '--initial-tab', '--expand-tabs', '--show-c-function', '--recursive', '--minimal', '--strip-trailing-cr', '--suppress-common-lines', '--left-column', '--normal', '--ed', '--speed-large-files', '--no-dereference'],
    longValued: ['--context', '--unified', '--exclude', '--exclude-from', '--show-function-line', '--ignore-matching-lines', '--width', '--starting-file', '--label', '--tabsize', '--line-format', '--from-file', '--to-file'],
    longAttached: ['--color'],
  })],
  ['cmp', known({ flags: 'blsz', valued: 'in', long: ['--print-bytes', '--verbose', '--quiet', '--silent', '--zero-terminated'], longValued: ['--ignore-initial', '--bytes'] })],
  // Not -o/-O/--log-file (writes a log), -k (a key file), nor a `+command`.
  ['less', noStartCommand(known({
    flags: 'NSRrIiFXMmnEeKqQsw~',
    valued: 'px',
    long: ['--LINE-NUMBERS', '--chop-long-lines', '--RAW-CONTROL-CHARS', '--ignore-case', '--IGNORE-CASE', '--quit-if-one-screen', '--no-init', '--quiet', '--squeeze-blank-lines'],
    longValued: ['--pattern', '--tabs'],
  }))],
  ['more', noStartCommand(known({
    flags: 'dlfpcsu',
    valued: 'n',
    long: ['--silent', '--logical', '--no-pause', '--print-over', '--clean-print', '--squeeze', '--plain'],
    longValued: ['--lines'],
  }))],
  // Not --pager (runs it). batcat is Debian's name for bat.
  ...['bat', 'batcat'].map((name): [string, ArgumentCheck] => [name, BAT]),
]);
