// The git commands the read-only classifier (read-only.ts) vouches for: a few global options
// (`-C dir`, `--no-pager`), then one of the subcommands that only look — status, log, show, diff,
// grep, branch (listing), ls-files, rev-parse, blame, describe, merge-base, shortlog, cat-file —
// with options from its allowlist. Never `-c`/`--config-env` (a config value can name a program:
// core.pager, diff.external…), `--exec-path`, `--git-dir`/`--work-tree`, `-p`/`--paginate`, nor
// options that run or write something: `grep -O`/`--open-files-in-pager`, `--ext-diff`,
// `--textconv`, `--output`, `--show-signature` (gpg). git also takes unambiguous abbreviations of
// long options (`--out=` for `--output=`): only whole names are listed, so none is matched.
import { readArguments, type OptionSpec, type Word } from './read-only-options.js';

/** Global options allowed before the subcommand (and `-C <dir>`, which takes the next word). */
const GLOBAL = new Set(['--no-pager', '-P', '--no-optional-locks', '--literal-pathspecs', '--glob-pathspecs', '--noglob-pathspecs', '--icase-pathspecs', '--no-replace-objects']);

/** What log, show and diff share: how commits are walked, limited and shown, and how diffs are made. */
const HISTORY: OptionSpec = {
  flags: 'psuzwbiEFPmRDtrgWaq',
  valued: 'nLSG',
  attached: 'UMCBl',
  counts: true,
  long: [
    '--oneline', '--numstat', '--shortstat', '--name-only', '--name-status', '--patch', '--no-patch', '--graph', '--no-graph', '--all', '--reverse',
    '--abbrev-commit', '--no-abbrev-commit', '--no-color', '--cached', '--staged', '--ignore-all-space', '--ignore-space-change', '--ignore-space-at-eol',
    '--ignore-blank-lines', '--ignore-cr-at-eol', '--follow', '--first-parent', '--merges', '--no-merges', '--relative-date', '--summary', '--check',
    '--no-renames', '--full-diff', '--exit-code', '--quiet', '--raw', '--no-ext-diff', '--no-textconv', '--minimal', '--patience', '--histogram',
    '--no-prefix', '--topo-order', '--date-order', '--author-date-order', '--left-right', '--cherry-pick', '--cherry-mark', '--cherry', '--boundary',
    '--ancestry-path', '--simplify-by-decoration', '--regexp-ignore-case', '--extended-regexp', '--fixed-strings', '--perl-regexp', '--basic-regexp',
    '--all-match', '--invert-grep', '--merge', '--no-notes', '--full-history', '--parents', '--children', '--no-walk', '--compact-summary', '--no-abbrev',
    '--text', '--walk-reflogs', '--reflog', '--not', '--remove-empty', '--sparse', '--dense', '--simplify-merges', '--show-pulls', '--no-decorate',
    '--mailmap', '--no-mailmap', '--use-mailmap', '--no-use-mailmap', '--full-index', '--function-context', '--irreversible-delete', '--no-relative',
    '--pickaxe-all', '--pickaxe-regex', '--no-index', '--merge-base', '--base', '--ours', '--theirs', '--source', '--in-commit-order', '--remerge-diff',
    '--no-diff-merges', '--combined-all-paths', '--single-worktree', '--no-stat', '--binary',
  ],
  longAttached: [
    '--stat', '--dirstat', '--decorate', '--pretty', '--format', '--abbrev', '--color', '--word-diff', '--word-diff-regex', '--color-words', '--relative',
    '--find-renames', '--find-copies', '--break-rewrites', '--unified', '--date', '--diff-filter', '--branches', '--tags', '--remotes', '--glob', '--exclude',
    '--decorate-refs', '--decorate-refs-exclude', '--color-moved', '--color-moved-ws', '--inter-hunk-context', '--src-prefix', '--dst-prefix',
    '--line-prefix', '--diff-merges', '--stat-width', '--stat-name-width', '--stat-count', '--stat-graph-width', '--notes', '--show-notes', '--encoding',
    '--expand-tabs', '--anchored', '--diff-algorithm', '--ignore-submodules', '--submodule', '--ws-error-highlight', '--since', '--after', '--until',
    '--before', '--author', '--committer', '--grep', '--grep-reflog', '--max-count', '--skip', '--min-parents', '--max-parents', '--find-object',
  ],
};

const SUBCOMMANDS: ReadonlyMap<string, OptionSpec> = new Map<string, OptionSpec>([
  ['log', HISTORY],
  ['show', HISTORY],
  ['diff', HISTORY],
  [
    'status',
    {
      flags: 'sbvz',
      attached: 'u',
      long: ['--short', '--branch', '--long', '--show-stash', '--ahead-behind', '--no-ahead-behind', '--verbose', '--no-renames', '--renames', '--null'],
      longAttached: ['--porcelain', '--untracked-files', '--ignored', '--ignore-submodules', '--find-renames'],
    },
  ],
  [
    'grep',
    {
      // Not -O/--open-files-in-pager (runs the pager it names on the files), nor --textconv.
      flags: 'nilIwvLcHhEFGPqoazrWp',
      valued: 'efmABC',
      counts: true,
      long: [
        '--cached', '--untracked', '--no-index', '--exclude-standard', '--no-exclude-standard', '--recurse-submodules', '--text', '--ignore-case', '--word-regexp',
        '--invert-match', '--full-name', '--extended-regexp', '--basic-regexp', '--perl-regexp', '--fixed-strings', '--line-number', '--column',
        '--files-with-matches', '--name-only', '--files-without-match', '--null', '--only-matching', '--count', '--heading', '--break', '--show-function',
        '--function-context', '--and', '--or', '--not', '--all-match', '--quiet', '--no-textconv', '--recursive', '--no-recursive', '--no-color',
      ],
      longAttached: ['--color', '--max-depth', '--threads', '--after-context', '--before-context', '--context', '--max-count'],
    },
  ],
  [
    'branch',
    {
      // Listing only: not -d/-D/-m/-M/-c/-C/-f/-u/-t, and a name only after --list (branch.ts below).
      flags: 'alrv',
      long: ['--list', '--all', '--remotes', '--verbose', '--show-current', '--no-color', '--ignore-case', '--omit-empty'],
      longAttached: ['--format', '--sort', '--color', '--contains', '--no-contains', '--merged', '--no-merged', '--points-at', '--abbrev'],
    },
  ],
  [
    'ls-files',
    {
      flags: 'cdmoiskuvtfz',
      valued: 'x',
      long: ['--cached', '--deleted', '--modified', '--others', '--ignored', '--stage', '--killed', '--unmerged', '--directory', '--no-empty-directory', '--eol', '--exclude-standard', '--error-unmatch', '--full-name', '--recurse-submodules', '--deduplicate', '--sparse', '--resolve-undo'],
      longAttached: ['--abbrev', '--format', '--exclude', '--with-tree'],
    },
  ],
  [
    'rev-parse',
    {
      flags: 'q',
      long: [
        '--show-toplevel', '--show-prefix', '--show-cdup', '--git-dir', '--git-common-dir', '--absolute-git-dir', '--is-inside-work-tree', '--is-inside-git-dir',
        '--is-bare-repository', '--is-shallow-repository', '--verify', '--quiet', '--symbolic', '--symbolic-full-name', '--all', '--branches', '--tags',
        '--remotes', '--show-superproject-working-tree', '--revs-only', '--no-revs', '--flags', '--no-flags', '--not',
      ],
      longAttached: ['--short', '--abbrev-ref', '--git-path', '--since', '--until', '--after', '--before', '--path-format', '--show-object-format'],
    },
  ],
  ['blame', { flags: 'bclnpsetwf', valued: 'L', attached: 'MC', long: ['--root', '--show-stats', '--porcelain', '--line-porcelain', '--incremental', '--show-name', '--show-number', '--show-email', '--reverse', '--first-parent', '--minimal'], longAttached: ['--date', '--abbrev', '--ignore-rev', '--ignore-revs-file'] }],
  ['describe', { long: ['--tags', '--all', '--always', '--long', '--exact-match', '--first-parent', '--contains'], longAttached: ['--abbrev', '--candidates', '--match', '--exclude', '--dirty', '--broken'] }],
  ['merge-base', { flags: 'a', long: ['--all', '--octopus', '--independent', '--is-ancestor', '--fork-point'] }],
  ['shortlog', { flags: 'nse', long: ['--numbered', '--summary', '--email', '--committer', '--all', '--no-merges', '--merges', '--reverse'], longAttached: ['--format', '--group', '--since', '--until', '--after', '--before', '--author'] }],
  // Not --textconv or --filters (they run the configured programs).
  ['cat-file', { flags: 'ptse' }],
]);

export function gitOnlyReads(args: readonly Word[]): boolean {
  let i = 0;
  for (; i < args.length && args[i]!.text.startsWith('-'); i++) {
    const word = args[i]!;
    if (word.expands) return false;
    if (word.text === '-C') {
      const dir = args[++i];
      if (dir === undefined || dir.expands) return false;
    } else if (!GLOBAL.has(word.text)) {
      return false;
    }
  }
  const sub = args[i];
  const spec = sub === undefined || sub.expands ? undefined : SUBCOMMANDS.get(sub.text);
  if (spec === undefined) return false;
  const rest = args.slice(i + 1);
  const read = readArguments(rest, spec);
  if (read === null) return false;
  // `git branch NAME` makes a branch: a name is only a pattern to list with --list.
  if (sub!.text === 'branch' && read.operands.length > 0) return rest.some((word) => word.text === '--list' || /^-[arv]*l[arv]*$/.test(word.text));
  return true;
}
