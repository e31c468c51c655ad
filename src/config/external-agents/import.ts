// externalAgentConfig/import: each item a client sends (as detect gave it) is matched against what
// detection finds now — never carried out from the client's words — and its steps run one by one.
// A step that fails is reported with why; the others still run. Results are grouped by item type,
// as Codex's completion notification has them.
import type { z } from 'zod';
import type { ExternalAgentConfigMigrationItemType } from '../../protocol/schemas/setup-methods.js';
import { detectHome, detectRepo, type DetectContext, type MigrationPlan } from './detect.js';

/** Every item type a client may name (Keel offers four of them). */
export type ItemType = z.output<typeof ExternalAgentConfigMigrationItemType>;

export interface RequestedItem {
  itemType: ItemType;
  description: string;
  cwd?: string | null;
  details?: { mcpServers?: Array<{ name: string }>; skills?: Array<{ name: string }> } | null;
}

export interface ImportSuccess {
  itemType: ItemType;
  source: string | null;
  target: string | null;
  cwd: string | null;
  title: string | null;
}

export interface ImportFailure {
  itemType: ItemType;
  failureStage: string;
  message: string;
  source: string | null;
  cwd: string | null;
  errorType: string | null;
  subErrorType: string | null;
}

export interface ImportTypeResult {
  itemType: ItemType;
  successes: ImportSuccess[];
  failures: ImportFailure[];
}

const scopeOf = (item: { cwd?: string | null }) => (item.cwd == null || item.cwd === '' ? null : item.cwd);

async function plansFor(cwd: string | null, ctx: DetectContext): Promise<MigrationPlan[]> {
  return cwd === null ? detectHome(ctx) : detectRepo(cwd, ctx);
}

export async function importItems(items: readonly RequestedItem[], ctx: DetectContext): Promise<ImportTypeResult[]> {
  const byType = new Map<ItemType, ImportTypeResult>();
  const resultOf = (itemType: ItemType) => {
    let result = byType.get(itemType);
    if (result === undefined) byType.set(itemType, (result = { itemType, successes: [], failures: [] }));
    return result;
  };
  for (const item of items) {
    const cwd = scopeOf(item);
    const result = resultOf(item.itemType);
    const fail = (failureStage: 'detect' | 'import', message: string, source: string | null = null) =>
      result.failures.push({ itemType: item.itemType, failureStage, message, source, cwd, errorType: null, subErrorType: null });
    // Found again now; the item's own description picks one plan when a type has several.
    const candidates = (await plansFor(cwd, ctx)).filter((plan) => plan.itemType === item.itemType);
    const plans = candidates.some((plan) => plan.description === item.description) ? candidates.filter((plan) => plan.description === item.description) : candidates;
    if (plans.length === 0) {
      fail('detect', `nothing of type ${item.itemType} to import${cwd === null ? ' from the user setup' : ` for ${cwd}`}: it is not there, Keel cannot import it, or it was imported already`);
      continue;
    }
    const wanted = [...(item.details?.mcpServers ?? []), ...(item.details?.skills ?? [])].map((entry) => entry.name);
    for (const plan of plans) {
      for (const step of plan.steps) {
        if (wanted.length > 0 && step.name !== undefined && !wanted.includes(step.name)) continue;
        try {
          step.run();
          result.successes.push({ itemType: plan.itemType, source: step.source, target: step.target, cwd, title: null });
        } catch (error) {
          fail('import', (error as Error).message, step.source);
        }
      }
    }
  }
  return [...byType.values()];
}
