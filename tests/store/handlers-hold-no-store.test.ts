// No request handler reaches the store: thread reads go through the engine's ThreadQueries and
// ThreadRegistry (engine/thread-queries.ts), so a second store (PostgreSQL) or a new projection
// changes no handler. A grep over the sources, as the design's "never" arrows are checked.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const HANDLERS = path.resolve(import.meta.dirname, '../../src/server/handlers');

function sourcesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? sourcesUnder(file) : entry.name.endsWith('.ts') ? [file] : [];
  });
}

describe('request handlers (src/server/handlers)', () => {
  const files = sourcesUnder(HANDLERS);

  it('are there to check', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it('import nothing from src/store', () => {
    const offenders = files.filter((file) => /from\s+['"][^'"]*\/store\//.test(fs.readFileSync(file, 'utf8')));
    expect(offenders.map((file) => path.relative(HANDLERS, file))).toEqual([]);
  });

  it('never name the database', () => {
    const offenders = files.filter((file) => /\bdatabase\b/i.test(fs.readFileSync(file, 'utf8')));
    expect(offenders.map((file) => path.relative(HANDLERS, file))).toEqual([]);
  });
});
