// extractHeredocPatch as a table: a shell command → the patch it carries (and its cd), or null.
import { describe, expect, it } from 'vitest';
import { extractHeredocPatch, type HeredocPatch } from '../../../src/tools/patch/heredoc.js';

const body = '*** Begin Patch\n*** Delete File: a.txt\n*** End Patch\n';

describe('extractHeredocPatch', () => {
  it.each<[string, string, HeredocPatch | null]>([
    ["<<'EOF'", `apply_patch <<'EOF'\n${body}EOF\n`, { patch: body }],
    ['<<"EOF"', `apply_patch <<"EOF"\n${body}EOF`, { patch: body }],
    ['<<EOF', `apply_patch <<EOF\n${body}EOF\n`, { patch: body }],
    ['another delimiter, spaces around <<', `apply_patch << 'PATCH'\n${body}PATCH\n`, { patch: body }],
    ['applypatch', `applypatch <<'EOF'\n${body}EOF\n`, { patch: body }],
    ['<<- strips leading tabs', `apply_patch <<-EOF\n\t*** Begin Patch\n\t*** Delete File: a.txt\n\t*** End Patch\n\tEOF\n`, { patch: body }],
    ['a cd prefix', `cd src/app && apply_patch <<'EOF'\n${body}EOF\n`, { patch: body, workdir: 'src/app' }],
    ["a cd prefix in '…'", `cd '/work/my dir' && apply_patch <<'EOF'\n${body}EOF\n`, { patch: body, workdir: '/work/my dir' }],
    ['a cd prefix in "…"', `cd "my dir" && apply_patch <<'EOF'\n${body}EOF\n`, { patch: body, workdir: 'my dir' }],
    ['leading whitespace, blank lines after the delimiter', `  apply_patch <<'EOF'\n${body}EOF\n\n  \n`, { patch: body }],
    ['CRLF line ends', `apply_patch <<'EOF'\r\n${body.replaceAll('\n', '\r\n')}EOF\r\n`, { patch: body }],
    ['no delimiter line: to the end, as bash reads it', `apply_patch <<'EOF'\n${body}\n`, { patch: body }],
    ['an unquoted body is taken literally', `apply_patch <<EOF\n*** Begin Patch\n*** Add File: a\n+$HOME \`x\`\n*** End Patch\nEOF\n`, { patch: '*** Begin Patch\n*** Add File: a\n+$HOME `x`\n*** End Patch\n' }],
    ['an empty heredoc', `apply_patch <<'EOF'\nEOF\n`, { patch: '' }],
    ['a delimiter-like line inside is only the end when it is the whole line', `apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: a\n+EOF here\n*** End Patch\nEOF\n`, { patch: '*** Begin Patch\n*** Add File: a\n+EOF here\n*** End Patch\n' }],
    ['another command', 'ls -la', null],
    ['apply_patch without a heredoc', "apply_patch '*** Begin Patch'", null],
    ['a command after the delimiter', `apply_patch <<'EOF'\n${body}EOF\necho done\n`, null],
    ['a command on the heredoc line', `apply_patch <<'EOF' && echo done\n${body}EOF\n`, null],
    ['a command before it', `echo hi; apply_patch <<'EOF'\n${body}EOF\n`, null],
    ['cd joined by ; rather than &&', `cd src; apply_patch <<'EOF'\n${body}EOF\n`, null],
    ['cd to an expansion', `cd $DIR && apply_patch <<'EOF'\n${body}EOF\n`, null],
    ['cd with two arguments', `cd a b && apply_patch <<'EOF'\n${body}EOF\n`, null],
    ['a name that only starts like it', `apply_patches <<'EOF'\n${body}EOF\n`, null],
    ['a single line', "apply_patch <<'EOF'", null],
  ])('%s', (_name, command, expected) => {
    expect(extractHeredocPatch(command)).toEqual(expected);
  });
});
