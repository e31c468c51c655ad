// The imports of other agents' setups done so far (externalAgentConfig/import/readHistories): one
// JSON line per import in $KEEL_HOME/external-agent-imports.jsonl, Keel's own imports and those a
// client did itself and recorded (externalAgentConfig/import/recordHistory). Only outcomes are
// kept: sources, targets, messages — no file contents.
import fs from 'node:fs';
import path from 'node:path';
import type { ImportFailure, ImportSuccess, ImportTypeResult } from './import.js';

export const HISTORY_FILE = 'external-agent-imports.jsonl';

export interface ImportHistory {
  importId: string;
  providerId: string | null;
  completedAtMs: number;
  successes: ImportSuccess[];
  failures: ImportFailure[];
}

export class ImportHistories {
  readonly filePath: string;

  constructor(keelHome: string) {
    this.filePath = path.join(keelHome, HISTORY_FILE);
  }

  record(importId: string, providerId: string | null, completedAtMs: number, results: readonly ImportTypeResult[]): ImportHistory {
    const entry: ImportHistory = {
      importId,
      providerId,
      completedAtMs,
      successes: results.flatMap((result) => result.successes),
      failures: results.flatMap((result) => result.failures),
    };
    fs.mkdirSync(path.dirname(this.filePath), { recursive: true });
    fs.appendFileSync(this.filePath, `${JSON.stringify(entry)}\n`);
    return entry;
  }

  /** Every import recorded, newest first; a damaged line is skipped. */
  read(): ImportHistory[] {
    let text: string;
    try {
      text = fs.readFileSync(this.filePath, 'utf8');
    } catch {
      return [];
    }
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as ImportHistory];
        } catch {
          return [];
        }
      })
      .reverse();
  }
}
