// The word splitter behind command actions: words and connectors, or null when the line holds more.
import { describe, expect, it } from 'vitest';
import { splitCommands, type SimpleCommand } from '../../../src/tools/exec/shell-words.js';

const cmd = (after: SimpleCommand['after'], ...words: string[]): SimpleCommand => ({ words, expands: words.map(() => false), after });

describe('splitCommands', () => {
  it.each<[string, SimpleCommand[]]>([
    ['ls', [cmd(null, 'ls')]],
    ['  ls   -la  src ', [cmd(null, 'ls', '-la', 'src')]],
    [`rg -n "a b" 'c d' e\\ f`, [cmd(null, 'rg', '-n', 'a b', 'c d', 'e f')]],
    [`echo "say \\"hi\\" \\\\ \\$x"`, [cmd(null, 'echo', 'say "hi" \\ $x')]],
    [`echo 'it'"'"'s'`, [cmd(null, 'echo', "it's")]],
    ['a && b || c; d | e', [cmd(null, 'a'), cmd('&&', 'b'), cmd('||', 'c'), cmd(';', 'd'), cmd('|', 'e')]],
    ['a\nb', [cmd(null, 'a'), cmd(';', 'b')]],
    ['a &&\n  b', [cmd(null, 'a'), cmd('&&', 'b')]],
    ['a; # a comment\nb', [cmd(null, 'a'), cmd(';', 'b')]],
    ['echo a#b', [cmd(null, 'echo', 'a#b')]],
    ['ls \\\n  src', [cmd(null, 'ls', 'src')]],
    ['find . -name "*.ts" -exec wc -l {} \\;', [cmd(null, 'find', '.', '-name', '*.ts', '-exec', 'wc', '-l', '{}', ';')]],
    ['echo ""', [cmd(null, 'echo', '')]],
    ['', []],
  ])('%j', (line, expected) => {
    expect(splitCommands(line)).toEqual(expected);
  });

  it.each<[string, boolean[]]>([
    ['ls *.ts', [false, true]],
    ['ls "*.ts" \\*.ts', [false, false, false]],
    ['cat a?.txt [ab].txt', [false, true, true]],
    ['git grep {-Ofoo,x} y', [false, false, true, false]],
    ["git grep {'-Ofoo',x}", [false, false, true]],
    ['ls {1..3}', [false, true]],
    ['git show HEAD@{1} stash@{0}', [false, false, false, false]],
    ['ls "{a,b}"', [false, false]],
  ])('marks the words %j may expand into others', (line, expected) => {
    expect(splitCommands(line)![0]!.expands).toEqual(expected);
  });

  it.each([
    'echo $HOME',
    'echo "$HOME"',
    'echo $(date)',
    'echo `date`',
    'echo a > out.txt',
    'cat < in.txt',
    'cat <<EOF',
    '(cd src && ls)',
    '{ ls; }',
    'sleep 1 &',
    'a |& b',
    'a && && b',
    '&& a',
    'a |',
    'case x in a) ;; esac',
    "echo 'unterminated",
    'echo "unterminated',
    '! true',
    'echo \\',
  ])('gives up on %j', (line) => {
    expect(splitCommands(line)).toBeNull();
  });
});
