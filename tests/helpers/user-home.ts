// The HOME every Keel a test spawns gets: an empty directory of its own, with only a git identity.
// Keel runs commands through a login shell (`bash -lc`, as Codex does), which reads the user's
// ~/.profile and ~/.bashrc; on a developer's machine those may do anything — here root's runs
// `pyenv init`, whose rehash lock, left behind by a command a test killed mid-start, made every
// later login shell wait 60 s for it; and in a sandbox, where HOME is read-only, such start-up
// files (pyenv, nvm) try to write and print about it. The tests' commands must not depend on whose
// machine it is. spawnKeel and the daemon helper set it; a test building its own env uses it too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let made: string | undefined;

/** One per test worker, made on first use. */
export function testUserHome(): string {
  if (made === undefined) {
    made = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-test-user-'));
    fs.writeFileSync(path.join(made, '.gitconfig'), '[user]\n\tname = Keel tests\n\temail = tests@keel.invalid\n');
  }
  return made;
}
