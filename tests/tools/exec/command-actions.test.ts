// What a command line does, as Codex's CommandAction list: a table of lines and their actions.
import { describe, expect, it } from 'vitest';
import { parseCommandActions, type CommandAction } from '../../../src/tools/exec/command-actions.js';

const read = (command: string, path: string, name = path.split('/').pop()!): CommandAction => ({ type: 'read', command, name, path });
const list = (command: string, path: string | null = null): CommandAction => ({ type: 'listFiles', command, path });
const search = (command: string, query: string | null, path: string | null = null): CommandAction => ({ type: 'search', command, query, path });
const unknown = (command: string): CommandAction => ({ type: 'unknown', command });

describe('parseCommandActions', () => {
  it.each<[string, CommandAction[]]>([
    // reads
    ['cat webview/README.md', [read('cat webview/README.md', 'webview/README.md')]],
    ['cat -n src/a.ts', [read('cat -n src/a.ts', 'src/a.ts')]],
    ['bat --theme TwoDark README.md', [read('bat --theme TwoDark README.md', 'README.md')]],
    ['less -p TODO README.md', [read('less -p TODO README.md', 'README.md')]],
    ['head -n 50 Cargo.toml', [read('head -n 50 Cargo.toml', 'Cargo.toml')]],
    ['head Cargo.toml', [read('head Cargo.toml', 'Cargo.toml')]],
    ['tail -n +10 log.txt', [read('tail -n +10 log.txt', 'log.txt')]],
    ['tail -n30 log.txt', [read('tail -n30 log.txt', 'log.txt')]],
    ["sed -n '1,200p' src/main.rs", [read("sed -n '1,200p' src/main.rs", 'src/main.rs')]],
    ['nl -ba src/lib.rs', [read('nl -ba src/lib.rs', 'src/lib.rs')]],
    ["cat tui/Cargo.toml | sed -n '1,200p'", [read('cat tui/Cargo.toml', 'tui/Cargo.toml')]],
    ['cd foo && cat foo.txt', [read('cat foo.txt', 'foo/foo.txt')]],
    ["cat a.log | awk '{print $1}' | sort | uniq -c", [read('cat a.log', 'a.log')]],
    ["cat a.log | sed 's/x/y/g' | sed -n '/err/p'", [read('cat a.log', 'a.log')]],
    ['cd foo && cd bar && cat /etc/hosts', [read('cat /etc/hosts', '/etc/hosts')]],
    ['cd -- -weird && cat foo.txt', [read('cat foo.txt', '-weird/foo.txt')]],
    // listings
    ['ls', [list('ls')]],
    ['ls -la | sed -n 1,120p', [list('ls -la')]],
    ['ls /', [list('ls /', '/')]],
    ['tree -L 2 src', [list('tree -L 2 src', 'src')]],
    ['du -d 2 .', [list('du -d 2 .', '.')]],
    ['rg --files | head -n 50', [list('rg --files')]],
    ['rg --files webview/src', [list('rg --files webview/src', 'webview/src')]],
    ['git ls-files --exclude target src', [list('git ls-files --exclude target src', 'src')]],
    ['find . -type f', [list('find . -type f', '.')]],
    ['find -type f', [list('find -type f', '.')]],
    ['fd src/', [list('fd src/', 'src/')]],
    // searches
    ['rg -n "navigate-to-route" -S', [search('rg -n "navigate-to-route" -S', 'navigate-to-route')]],
    ['rg -n "BUG|FIXME" -S | head -n 200', [search("rg -n 'BUG|FIXME' -S", 'BUG|FIXME')]],
    ['rg -l TODO src', [search('rg -l TODO src', 'TODO', 'src')]],
    ['rg -g "*.ts" TODO src', [search('rg -g "*.ts" TODO src', 'TODO', 'src')]],
    ['grep -rn "foo bar" src', [search('grep -rn "foo bar" src', 'foo bar', 'src')]],
    ['grep -e pattern -- -file', [search('grep -e pattern -- -file', 'pattern', '-file')]],
    ['git grep TODO src', [search('git grep TODO src', 'TODO', 'src')]],
    ['find . -name "*.rs"', [search('find . -name "*.rs"', '*.rs', '.')]],
    ['fd main src', [search('fd main src', 'main', 'src')]],
    ['ag foo lib', [search('ag foo lib', 'foo', 'lib')]],
    ['rg -l foo | xargs grep -n bar', [search('rg -l foo', 'foo')]],
    // several actions, in order; repeats collapse
    ['rg --version && rg --files | wc -l', [search('rg --version', null), list('rg --files')]],
    ['cat a.txt; cat b.txt', [read('cat a.txt', 'a.txt'), read('cat b.txt', 'b.txt')]],
    ['ls && ls', [list('ls')]],
    ['ls && true', [list('ls')]],
    // wrappers
    ["bash -lc 'cd foo && cat foo.txt'", [read('cat foo.txt', 'foo/foo.txt')]],
    ["zsh -lc 'cat README.md'", [read('cat README.md', 'README.md')]],
    ["sh -c 'rg --files'", [list('rg --files')]],
  ])('%j', (line, expected) => {
    expect(parseCommandActions(line)).toEqual(expected);
  });

  it.each([
    'git status',
    'npm test',
    'cat',
    'cat a.txt b.txt',
    'wc -l file.txt',
    'cd src',
    'echo foo > bar',
    'cat $FILE',
    'cat a.txt && rm -rf build',
    'rg -l foo | xargs rm',
    "rg -l foo | xargs perl -pi -e 's/foo/bar/'",
    'git status | wc -l',
    'find . -name "*.tmp" -delete',
    'find . -exec rm {} +',
    "sed -i 's/a/b/' file.txt",
    'cat a.txt | tee copy.txt',
    'ls && npm install',
    // shaping helpers that write or run something are not helpers
    "cat a.log | awk '{system(\"rm x\")}'",
    "cat a.log | awk '{print > \"out\"}'",
    "cat a.log | sed 'w out.txt'",
    "cat a.log | sed -e 's/x/y/w out.txt'",
    'cat a.log | sort -o sorted.txt',
    // searchers that run programs
    'fd -e rs -x rm',
    'rg --pre ./decode foo',
    'tree -o listing.txt src',
    'git grep -O vim TODO',
  ])('%j is unknown, as a whole', (line) => {
    expect(parseCommandActions(line)).toEqual([unknown(line)]);
  });

  it('reports what a shell wrapper runs', () => {
    expect(parseCommandActions("bash -lc 'echo $HOME'")).toEqual([unknown('echo $HOME')]);
  });

  it('trims the line it reports', () => {
    expect(parseCommandActions('  git status\n')).toEqual([unknown('git status')]);
  });
});
