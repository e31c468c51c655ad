// One entry for patch text of either format, and the parse step folded into the plan's result so
// a caller handles one failure type.
import { parsePatch } from './parse-patch.js';
import { parseUnifiedDiff } from './parse-unified.js';
import { PatchParseError } from './patch-error.js';
import { planPatch } from './plan.js';
import { readFileState } from './read-file-state.js';
import type { Patch, PlanResult, ReadFile } from './types.js';

const UNIFIED_START = /^(?:diff --git |--- |Index: |diff -)/m;

/** `*** Begin Patch` text (bare or in a `<<'EOF'` wrapper) or, failing its first line, a unified diff. */
export function parseAnyPatch(text: string): Patch {
  const first = text.split('\n').find((line) => line.trim() !== '')?.trim() ?? '';
  if (first.startsWith('*** Begin Patch') || first.startsWith('<<') || !UNIFIED_START.test(text)) return parsePatch(text);
  return parseUnifiedDiff(text);
}

/** Parses and plans: a parse error comes back as a `parse` failure, like every other failure. */
export async function planPatchText(text: string, cwd: string, readFile: ReadFile = readFileState): Promise<PlanResult> {
  let patch: Patch;
  try {
    patch = parseAnyPatch(text);
  } catch (error) {
    if (error instanceof PatchParseError) return { ok: false, failure: { kind: 'parse', line: error.line, message: error.reason } };
    throw error;
  }
  return planPatch(patch, cwd, readFile);
}
