// Types of cache-rules.mjs, for tests/unit/bench-cache-rules.test.ts.
export declare const BYTES_PER_TOKEN: number;
export declare function canonical(value: unknown): string;
export declare function tokensOf(segment: string): number;
export declare function promptTokens(segments: string[]): number;
export declare function commonPrefixTokens(a: string[], b: string[]): number;
export declare const OPENAI: { minimumTokens: number; step: number; routingPrefixTokens: number; overflowRpm: number; keylessSharers: number; ttlMs: number };
export interface OpenAiUsage {
  inputTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  machine: string;
}
export declare function openAiCache(now: () => number, rules?: typeof OPENAI): { request(segments: string[], cacheKey?: string | null): OpenAiUsage };
export declare const ANTHROPIC: { minimumTokens: number; lookbackBlocks: number; maxBreakpoints: number; ttlMs: { '5m': number; '1h': number } };
export interface AnthropicBlock {
  segment: string;
  breakpoint: '5m' | '1h' | null;
  thinking: boolean;
}
export declare function anthropicBlocks(body: Record<string, unknown>): AnthropicBlock[];
export declare class TooManyBreakpoints extends Error {}
export interface AnthropicUsage {
  inputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
  cacheCreation: { '5m': number; '1h': number };
  promptTokens: number;
}
export declare function anthropicCache(now: () => number, rules?: typeof ANTHROPIC): { request(blocks: AnthropicBlock[]): AnthropicUsage };
