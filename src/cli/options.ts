// Option parsing shared by every command of the command line: spellings, values, usage errors.

export type Topic = 'server' | 'generate-json-schema' | 'generate-ts' | 'exec' | 'threads' | 'show' | 'proxy' | 'daemon' | 'doctor' | 'inspect' | 'acp';

/** A wrong flag or value: printed with the usage of `topic`, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly topic: Topic,
  ) {
    super(message);
  }
}

export interface OptionSpec {
  /** Every spelling, e.g. `['-c', '--config']`. */
  names: readonly string[];
  /** The name of its value in messages (`URL`), when it takes one. */
  value?: string;
}

export type Token = { positional: string } | { option: string; name: string; value: string };

/** Splits arguments into options (`--x v`, `--x=v`, `-x v`, `-xv`, `-x=v`) and positionals, by `specs`. */
export function tokens(args: readonly string[], specs: Record<string, OptionSpec>, topic: Topic): Token[] {
  const byName = new Map(Object.entries(specs).flatMap(([id, spec]) => spec.names.map((name) => [name, { id, spec }] as const)));
  const out: Token[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-') || arg === '-') {
      out.push({ positional: arg });
      continue;
    }
    let name = arg;
    let value: string | undefined;
    if (arg.startsWith('--') && arg.includes('=')) [name, value] = [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)];
    else if (!arg.startsWith('--') && arg.length > 2) [name, value] = [arg.slice(0, 2), arg.slice(arg[2] === '=' ? 3 : 2)];
    const found = byName.get(name);
    if (found === undefined) throw new UsageError(`unknown option ${name}`, topic);
    if (found.spec.value === undefined) {
      if (value !== undefined) throw new UsageError(`${name} takes no value`, topic);
      value = '';
    } else if (value === undefined) {
      value = args[++i];
      if (value === undefined) throw new UsageError(`${name} needs a value (${found.spec.value})`, topic);
    }
    out.push({ option: found.id, name, value });
  }
  return out;
}

export const help: OptionSpec = { names: ['-h', '--help'] };
