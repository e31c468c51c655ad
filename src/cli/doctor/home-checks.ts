// The home: it holds the stored API key, the config, the prefix rules (whoever can write them
// allows commands unasked) and the threads, so it and they are their owner's alone — the home and
// rules/ 0700, the files 0600 — as Keel makes them. A mode another user can use is a failure,
// fixed by the chmod printed.
import fs from 'node:fs';
import path from 'node:path';
import { fail, ok, warn, type Check } from './check.js';

/** The files of the home Keel keeps private, where they exist (the database's only when it lives there). */
const PRIVATE_FILES = ['auth.json', 'config.toml', 'keel.db', 'keel.db-wal', 'keel.db-shm'];
const RULES_DIR = 'rules';

const quote = (file: string) => (/^[\w@%+=:,./-]+$/.test(file) ? file : `'${file.replaceAll("'", "'\\''")}'`);
const octal = (mode: number) => (mode & 0o777).toString(8).padStart(3, '0');

function statOrNull(file: string): fs.Stats | null {
  try {
    return fs.lstatSync(file);
  } catch {
    return null;
  }
}

export function homeCheck(home: string, uid = process.getuid?.() ?? null): Check {
  const stat = statOrNull(home);
  if (stat === null) return warn('home', `${home} does not exist yet: Keel creates it (0700) when it first starts`, null);
  if (!stat.isDirectory()) return fail('home', `${home} is not a directory`, `move it aside (mv ${quote(home)} ${quote(`${home}.old`)}), or set KEEL_HOME to a directory of your own`);
  if (uid !== null && stat.uid !== uid) return fail('home', `${home} belongs to uid ${stat.uid}, not to you (uid ${uid})`, `chown -R ${uid} ${quote(home)}, or set KEEL_HOME to a directory of your own`);
  const loose: Array<{ file: string; mode: number; want: 0o700 | 0o600 }> = [];
  const consider = (file: string, want: 0o700 | 0o600) => {
    const found = statOrNull(file);
    if (found === null || found.isSymbolicLink()) return;
    if ((found.mode & 0o077) !== 0) loose.push({ file, mode: found.mode, want });
  };
  consider(home, 0o700);
  for (const name of PRIVATE_FILES) consider(path.join(home, name), 0o600);
  const rules = path.join(home, RULES_DIR);
  if (statOrNull(rules)?.isDirectory()) {
    consider(rules, 0o700);
    for (const name of fs.readdirSync(rules)) consider(path.join(rules, name), statOrNull(path.join(rules, name))?.isDirectory() ? 0o700 : 0o600);
  }
  if (loose.length === 0) return ok('home', `${home}: 0700, its keys, config, rules and database private to you`);
  const detail = loose.map(({ file, mode, want }) => `${file} is ${octal(mode)} (want ${octal(want)})`).join('; ');
  const chmod = (want: number) => {
    const files = loose.filter((entry) => entry.want === want).map((entry) => quote(entry.file));
    return files.length === 0 ? [] : [`chmod ${octal(want)} ${files.join(' ')}`];
  };
  return fail('home', `other users can reach Keel's private files: ${detail}`, [...chmod(0o700), ...chmod(0o600)].join(' && '));
}
