/** A patch text that cannot be read: the 1-based line at fault and what was expected there. */
export class PatchParseError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'PatchParseError';
  }
}

/** A line quoted in an error message, shortened so one bad line cannot flood the model's context. */
export function quoteLine(line: string): string {
  return JSON.stringify(line.length > 120 ? `${line.slice(0, 117)}...` : line);
}
