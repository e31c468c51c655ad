// Command-prefix rules the client allowed (`acceptWithExecpolicyAmendment`), kept in
// `$KEEL_HOME/rules/default.rules` in Codex's execpolicy syntax, one rule a line:
//   prefix_rule(pattern=["npm", "test"], decision="allow")
// so they hold for every later thread (and a user can read and edit them). Only `allow` rules of
// this form are read; other lines are left as they are and ignored. Whoever can write the file can
// allow commands unasked, so `rules/` is 0700 and the file 0600 whatever the umask, made so again
// (chmod) when a rule is added to ones found open to others.
import fs from 'node:fs';
import path from 'node:path';
import { makePrivateDir, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../../kernel/private-files.js';
import { splitCommands } from '../../tools/exec/index.js';

const RULE = /^\s*prefix_rule\(\s*pattern\s*=\s*(\[[^\]]*\])\s*,\s*decision\s*=\s*"allow"\s*\)\s*$/;

export class ExecRules {
  readonly file: string;

  constructor(home: string) {
    this.file = path.join(home, 'rules', 'default.rules');
  }

  /** The allowed prefixes, read fresh (the file is small, and a user may have edited it). */
  prefixes(): string[][] {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return [];
    }
    const out: string[][] = [];
    for (const line of text.split('\n')) {
      const match = RULE.exec(line);
      if (!match) continue;
      try {
        const pattern: unknown = JSON.parse(match[1]!);
        if (Array.isArray(pattern) && pattern.length > 0 && pattern.every((word) => typeof word === 'string')) out.push(pattern);
      } catch {
        // Not a list of strings: not a rule Keel understands.
      }
    }
    return out;
  }

  /** Whether every part of the command line starts with an allowed prefix (a line Keel cannot split never matches). */
  allows(command: string): boolean {
    const parts = splitCommands(command);
    if (parts === null || parts.length === 0) return false;
    const prefixes = this.prefixes();
    return parts.every((part) => prefixes.some((prefix) => prefix.length <= part.words.length && prefix.every((word, i) => part.words[i] === word)));
  }

  add(prefix: readonly string[]): void {
    if (prefix.length === 0 || this.prefixes().some((known) => known.length === prefix.length && known.every((word, i) => word === prefix[i]))) return;
    const dir = path.dirname(this.file);
    makePrivateDir(dir);
    fs.chmodSync(dir, PRIVATE_DIR_MODE);
    const fd = fs.openSync(this.file, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW, PRIVATE_FILE_MODE);
    try {
      fs.fchmodSync(fd, PRIVATE_FILE_MODE);
      fs.writeSync(fd, `prefix_rule(pattern=${JSON.stringify(prefix).replaceAll('","', '", "')}, decision="allow")\n`);
    } finally {
      fs.closeSync(fd);
    }
  }
}

/** The rule to propose for a command: the words of its one simple command (null for pipelines, lists, or what Keel cannot split). */
export function proposedPrefix(command: string): string[] | null {
  const parts = splitCommands(command);
  return parts !== null && parts.length === 1 && parts[0]!.words.length > 0 ? parts[0]!.words : null;
}
