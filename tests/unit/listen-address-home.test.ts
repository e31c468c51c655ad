// The listeners take their addresses as kernel/listen-address.ts types them; reading `--listen`
// is the command line's work. Nothing the server, the engine or the kernel run may import the
// command line (src/cli/): a server started by an embedder has no command line.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/conformance.js';

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The module specifiers a file imports or re-exports (static and dynamic). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)].map((match) => match[1]!);
}

describe('the command line stays at the edge', () => {
  it.each(['src/server', 'src/engine', 'src/kernel', 'src/transport'])('no file under %s imports src/cli', (dir) => {
    const cli = path.join(repoRoot, 'src', 'cli');
    const offenders = sourceFiles(path.join(repoRoot, dir)).flatMap((file) =>
      importsOf(file)
        .filter((specifier) => specifier.startsWith('.') && path.resolve(path.dirname(file), specifier).startsWith(`${cli}${path.sep}`))
        .map((specifier) => `${path.relative(repoRoot, file)} imports ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });
});
