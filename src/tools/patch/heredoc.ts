// A patch a model sends through its shell tool instead of the patch tool:
//
//   apply_patch <<'EOF'            also <<"EOF", <<EOF, <<-EOF, any delimiter word; `applypatch`
//   *** Begin Patch
//   ...
//   EOF
//
// optionally after `cd <dir> &&`. Like Codex, only that whole command is recognised (nothing
// before it but the `cd`, nothing after the delimiter line), and the body is taken literally even
// for an unquoted delimiter. Anything else is an ordinary command: null.

const WORD_DIR = String.raw`[^\s'"$\x60\\;&|<>()]+`;
const FIRST_LINE = new RegExp(
  String.raw`^\s*(?:cd\s+(?:'([^']*)'|"([^"$\x60\\]*)"|(${WORD_DIR}))\s*&&\s*)?(?:apply_patch|applypatch)\s*<<(-?)\s*(?:'([^'\n]+)'|"([^"\n]+)"|([A-Za-z_][A-Za-z0-9_]*))\s*$`,
);

export interface HeredocPatch {
  patch: string;
  /** The `cd` directory, as written (relative to the command's working directory, or absolute). */
  workdir?: string;
}

export function extractHeredocPatch(command: string): HeredocPatch | null {
  const newline = command.indexOf('\n');
  if (newline === -1) return null;
  const match = FIRST_LINE.exec(stripCr(command.slice(0, newline)));
  if (match === null) return null;
  const [, singleDir, doubleDir, wordDir, dash, singleDelimiter, doubleDelimiter, wordDelimiter] = match;
  const delimiter = singleDelimiter ?? doubleDelimiter ?? wordDelimiter!;
  const stripTabs = dash === '-';
  const lines = command
    .slice(newline + 1)
    .split('\n')
    .map((line) => (stripTabs ? stripCr(line).replace(/^\t+/, '') : stripCr(line)));
  let end = lines.indexOf(delimiter);
  if (end === -1) {
    // No delimiter line: bash reads to the end of the script (with a warning), so do we.
    end = lines.length;
    while (end > 0 && lines[end - 1]!.trim() === '') end--;
  } else if (lines.slice(end + 1).some((line) => line.trim() !== '')) {
    return null; // another command follows
  }
  const body = lines.slice(0, end);
  const result: HeredocPatch = { patch: body.length === 0 ? '' : `${body.join('\n')}\n` };
  const workdir = singleDir ?? doubleDir ?? wordDir;
  if (workdir !== undefined) result.workdir = workdir;
  return result;
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
