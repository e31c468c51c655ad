// The handlers' seam, checked at the level of imports: a handler gets the narrow services it uses
// (an interface in its own file), never the composition root's whole Keel, and never the
// database; the engine services it calls import neither the protocol nor the server.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/conformance.js';

/** The .ts files under `dir` (repo-relative), recursively. */
function sources(dir: string): string[] {
  return fs
    .readdirSync(path.join(repoRoot, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => path.posix.join(dir, file.split(path.sep).join('/')))
    .sort();
}

/** Each module a file imports (static, `export … from` or dynamic), repo-relative, with the names taken. */
function importsOf(file: string): Array<{ module: string; names: string }> {
  const text = fs.readFileSync(path.join(repoRoot, file), 'utf8');
  const found: Array<{ module: string; names: string }> = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\s+([^'";]*?)\s*from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const specifier = match[2] ?? match[3]!;
    const module = specifier.startsWith('.') ? path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)) : specifier;
    found.push({ module, names: match[1] ?? '' });
  }
  return found;
}


describe('what handlers import', () => {
  const handlers = sources('src/server/handlers');

  const offenders = handlers.filter((file) =>
    importsOf(file).some(
      ({ module, names }) =>
        module.startsWith('src/server/open-keel') || module.startsWith('src/store/') || /\bKeel\b/.test(names),
    ),
  );

  it('finds the handler files', () => {
    expect(handlers).toContain('src/server/handlers/command-exec.ts');
    expect(handlers).toContain('src/server/handlers/threads/lifecycle.ts');
  });

  it('no handler imports the composition root (Keel) or the store', () => {
    expect(offenders).toEqual([]);
  });
});

describe('what the engine services import', () => {
  it('neither the protocol nor the server: their callers shape the wire', () => {
    const crossing = sources('src/engine/services').flatMap((file) =>
      importsOf(file)
        .filter(({ module }) => module.startsWith('src/protocol/') || module.startsWith('src/server/'))
        .map(({ module }) => `${file} -> ${module}`),
    );
    expect(crossing).toEqual([]);
  });
});
