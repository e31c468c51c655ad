// Codex's names for MCP tools as the model sees them: `mcp__<server>__<tool>`. Providers accept
// only [a-zA-Z0-9_-] and at most 64 characters, so other characters become `_` and a longer (or,
// after sanitising, colliding) name is cut and given a hash of the original — unique and stable
// across runs, since it depends on the server and tool names only.
import { createHash } from 'node:crypto';

export const MCP_TOOL_PREFIX = 'mcp';
export const MCP_TOOL_DELIMITER = '__';
export const MAX_TOOL_NAME_LENGTH = 64;
const HASH_LENGTH = 8;

export interface McpToolRef {
  server: string;
  tool: string;
}

export function sanitizeNamePart(part: string): string {
  return part.replace(/[^a-zA-Z0-9_-]/g, '_');
}

/** The qualified name alone; `qualifyToolNames` also resolves collisions between tools. */
export function qualifiedToolName(server: string, tool: string): string {
  const name = rawName(server, tool, sanitizeNamePart);
  return name.length <= MAX_TOOL_NAME_LENGTH ? name : hashedName(server, tool);
}

/**
 * Qualified name → tool, for a set of tools (in a stable order: the first of two tools that would
 * share a name keeps the plain form, the other gets the hashed one).
 */
export function qualifyToolNames(refs: readonly McpToolRef[]): Map<string, McpToolRef> {
  const byName = new Map<string, McpToolRef>();
  const seen = new Set<string>();
  for (const ref of refs) {
    const key = JSON.stringify([ref.server, ref.tool]);
    if (seen.has(key)) continue; // the same server and tool twice: nothing new to offer
    seen.add(key);
    let name = qualifiedToolName(ref.server, ref.tool);
    if (byName.has(name)) name = hashedName(ref.server, ref.tool);
    byName.set(name, ref);
  }
  return byName;
}

function rawName(server: string, tool: string, map: (s: string) => string = (s) => s): string {
  return [MCP_TOOL_PREFIX, map(server), map(tool)].join(MCP_TOOL_DELIMITER);
}

function hashedName(server: string, tool: string): string {
  // Hash the unsanitised pair, so `a.b` and `a_b` differ; JSON keeps ("a__b","c") apart from ("a","b__c").
  const hash = createHash('sha1').update(JSON.stringify([server, tool])).digest('hex').slice(0, HASH_LENGTH);
  const prefix = rawName(server, tool, sanitizeNamePart).slice(0, MAX_TOOL_NAME_LENGTH - HASH_LENGTH - 1);
  return `${prefix}_${hash}`;
}
