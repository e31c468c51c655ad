// Claude Code's and Codex's setups as Keel's handlers see them: what can be imported (detect), the
// import itself, and the history of imports. Ties detection to the user's home, Keel's home and
// config, and the history file.
import crypto from 'node:crypto';
import { detectHome, detectRepo, type DetectContext, type MigrationPlan } from './detect.js';
import { ImportHistories, type ImportHistory } from './history.js';
import { importItems, type ImportTypeResult, type RequestedItem } from './import.js';

export interface DetectedItem {
  itemType: MigrationPlan['itemType'];
  description: string;
  cwd: string | null;
  details: MigrationPlan['details'];
}

export class ExternalAgentSetup {
  private readonly histories: ImportHistories;

  constructor(
    private readonly ctx: DetectContext,
    private readonly now: () => number = Date.now,
  ) {
    this.histories = new ImportHistories(ctx.keelHome);
  }

  /** The user's setup when `includeHome`, then each cwd's repository, in order. */
  async detect(includeHome: boolean, cwds: readonly string[]): Promise<DetectedItem[]> {
    const plans = [...(includeHome ? detectHome(this.ctx) : [])];
    for (const cwd of cwds) plans.push(...(await detectRepo(cwd, this.ctx)));
    return plans.map(({ itemType, description, cwd, details }) => ({ itemType, description, cwd, details }));
  }

  /** Runs the import and records it; the results are what `externalAgentConfig/import/completed` carries. */
  async import(items: readonly RequestedItem[], providerId: string | null): Promise<{ importId: string; itemTypeResults: ImportTypeResult[] }> {
    const importId = crypto.randomUUID();
    const itemTypeResults = await importItems(items, this.ctx);
    this.histories.record(importId, providerId, this.now(), itemTypeResults);
    return { importId, itemTypeResults };
  }

  /** An import a client did itself, kept with Keel's own. */
  record(providerId: string, results: readonly ImportTypeResult[]): string {
    const importId = crypto.randomUUID();
    this.histories.record(importId, providerId, this.now(), results);
    return importId;
  }

  read(): ImportHistory[] {
    return this.histories.read();
  }
}
