// Seeded hostile variants of command lines that only read: each takes a line Keel vouches for and
// adds one thing that makes it write or run something — an option that runs a pager or a program,
// a config override, an environment prefix, a substitution, a redirection, a writing command after
// a connector, a brace list or glob that may expand into an option, a wrapper — in one of its
// spellings (attached, `=`, separate, bundled with harmless flags). None may be vouched for.
import { quoteShellWord } from '../../src/tools/exec/shell.js';
import type { Rng } from '../helpers/rng.js';

/** A read-only command split where an option may go: `head` (program, maybe subcommand), then `tail`. */
interface Base {
  head: string;
  tail: string;
  /** Options that run or write something for this program, in every spelling. */
  hostile: readonly string[];
  /** Harmless flags of the program, to bundle a hostile short option with (`-n` + `-Ofoo` → `-nOfoo`). */
  bundle?: string;
}

const PAGER_CMDS = ['touch m', 'sh -c id', 'touch m;true', 'cat', 'x'];

const gitHostile = (rng: Rng): string[] => {
  const cmd = rng.pick(PAGER_CMDS);
  return [
    `-O${quoteShellWord(cmd)}`,
    '-O',
    `--open-files-in-pager=${quoteShellWord(cmd)}`,
    `--open-files-in-pager ${quoteShellWord(cmd)}`,
    `--open-files-in=${quoteShellWord(cmd)}`,
    '--textconv',
    '--ext-diff',
    '--output=out.txt',
    '--output out.txt',
    '--out=out.txt',
    '--show-signature',
  ];
};

const GIT_GLOBAL_HOSTILE = [
  '-c core.pager=x',
  '-ccore.pager=x',
  '-c diff.external=x',
  '--config-env=diff.external=SHELL',
  '--config-env diff.external=SHELL',
  '--config-env=core.fsmonitor=SHELL',
  '--exec-path=/tmp',
  '--git-dir=/tmp/x',
  '--work-tree=/tmp',
  '-p',
  '--paginate',
  '--namespace=x',
];

function bases(rng: Rng): Base[] {
  const git = gitHostile(rng);
  return [
    { head: 'git grep', tail: '-n needle', hostile: git, bundle: 'niw' },
    { head: 'git log', tail: '--oneline -n 5', hostile: git, bundle: 'ps' },
    { head: 'git diff', tail: '--stat', hostile: git, bundle: 'w' },
    { head: 'git show', tail: 'HEAD', hostile: git, bundle: 'p' },
    { head: 'git status', tail: '--short', hostile: git, bundle: 's' },
    { head: 'rg', tail: 'needle src', hostile: ['--pre=x', '--pre x', '-z', '--search-zip', '--hostname-bin=x', '--pre-glob=*'], bundle: 'in' },
    { head: 'find .', tail: '-name a.txt', hostile: ['-delete', '-exec rm {} \\;', '-execdir x {} +', '-ok rm {} \\;', '-fprint out', '-fprintf out %p', '-fls out', '-fprint0 out'] },
    { head: 'sed', tail: "-n '1,5p' a.txt", hostile: ['-i', '-i.bak', '--in-place', '-f x.sed', '--file=x.sed', "-e 'w out'", "-e '1e id'"], bundle: 'n' },
    { head: 'sort', tail: 'a.txt', hostile: ['-o out', '-oout', '--output=out', '--compress-program=x', '-T /tmp'], bundle: 'rn' },
    { head: 'less', tail: 'a.txt', hostile: ['-o log', '-Olog', '--log-file=log', "'+!id'", '-k keys'], bundle: 'N' },
    { head: 'bat', tail: 'a.txt', hostile: ['--pager=x', '--pager x'] },
    { head: 'grep', tail: '-rn needle .', hostile: ['--output=x', '-O x', '--exec=x'], bundle: 'in' },
    { head: 'ls', tail: '-la', hostile: ['--output=x', '-O'], bundle: 'la' },
    { head: 'tail', tail: '-n 5 a.txt', hostile: ['--pid=1 --exec', '-o x'] },
  ];
}

const ENV_PREFIXES = ['PAGER=x', 'GIT_PAGER=x', "GIT_PAGER='touch m'", 'GIT_EXTERNAL_DIFF=x', 'LESSOPEN="|x %s"', 'GIT_CONFIG_PARAMETERS=x', 'RIPGREP_CONFIG_PATH=x', 'PATH=/tmp'];
const SUBSTITUTIONS = ['$(touch m)', '`touch m`', '"$(touch m)"', '${IFS}', "$'\\x2dO'", '$HOME', '"$PAGER"', '$((1))', '<(touch m)'];
const REDIRECTS = ['> out', '>> out', '2> out', '>| out', '&> out', '< in', '>out', '1>out', '<<< x', '<<EOF'];
const WRITERS = ['touch m', 'rm -rf x', 'tee out', 'xargs rm', 'python3 -c 1', 'sh', 'bash -c "touch m"', 'git commit -m x', 'git config x y', 'cp a b', 'dd of=x'];
const CONNECTORS = ['; ', ' && ', ' || ', ' | ', '\n', ' & '];
const NON_POSIX_SHELLS = ['python3', '/usr/bin/python3', 'script', 'node', 'perl', 'ruby', 'fish', 'tclsh', './bash', '/tmp/bash', 'bash -x', 'awk', 'env'];

export interface Hostile {
  line: string;
  /** exec_command's `shell`, when the attack is the shell. */
  shell?: string;
  kind: string;
}

/** One hostile variant drawn from `rng`. */
export function hostileVariant(rng: Rng): Hostile {
  const base = rng.pick(bases(rng));
  const safe = `${base.head} ${base.tail}`;
  switch (rng.int(9)) {
    case 0: {
      const option = rng.pick(base.hostile);
      // Bundled with harmless flags when it is a short option (`-nOfoo`), else before or after the others.
      if (base.bundle && /^-[A-Za-z]/.test(option) && !option.startsWith('--') && rng.int(2) === 0) return { kind: 'bundled option', line: `${base.head} -${base.bundle}${option.slice(1)} ${base.tail}` };
      return { kind: 'option', line: rng.int(2) === 0 ? `${base.head} ${option} ${base.tail}` : `${safe} ${option}` };
    }
    case 1: {
      const [program, ...rest] = safe.startsWith('git ') ? ['git', safe.slice(4)] : ['git', 'status'];
      return { kind: 'git global option', line: `${program} ${rng.pick(GIT_GLOBAL_HOSTILE)} ${rest.join(' ')}` };
    }
    case 2:
      return { kind: 'environment prefix', line: `${rng.pick(ENV_PREFIXES)} ${safe}` };
    case 3:
      return { kind: 'substitution', line: `${safe} ${rng.pick(SUBSTITUTIONS)}` };
    case 4:
      return { kind: 'redirection', line: `${safe} ${rng.pick(REDIRECTS)}` };
    case 5:
      return rng.int(2) === 0
        ? { kind: 'writer after a connector', line: `${safe}${rng.pick(CONNECTORS)}${rng.pick(WRITERS)}` }
        : { kind: 'writer before a connector', line: `${rng.pick(WRITERS)}${rng.pick(CONNECTORS.filter((c) => c !== ' & '))}${safe}` };
    case 6: {
      // An option hidden in a brace list or a glob the shell expands.
      const option = rng.pick(base.hostile).split(' ')[0]!;
      const hidden = rng.pick([`{${option},x}`, `{x,${option}}`, `${option.slice(0, 2)}*`, `{'${option}',x}`, '*', '?*', '[-]*']);
      return { kind: 'expansion', line: `${base.head} ${hidden} ${base.tail}` };
    }
    case 7:
      return { kind: 'non-POSIX shell', line: safe, shell: rng.pick(NON_POSIX_SHELLS) };
    default: {
      // Any of the above, wrapped in `bash -lc '…'` (once or twice).
      const inner = hostileVariant(rng);
      if (inner.shell !== undefined) return inner;
      const wrapped = `${rng.pick(['bash', 'sh', '/bin/bash', 'zsh'])} ${rng.pick(['-c', '-lc'])} ${quoteShellWord(inner.line)}`;
      return { kind: `wrapped ${inner.kind}`, line: wrapped };
    }
  }
}

/** The read-only lines the variants start from: each must be vouched for, or the attacks prove nothing. */
export function safeBases(rng: Rng): string[] {
  return bases(rng).map((base) => `${base.head} ${base.tail}`);
}
