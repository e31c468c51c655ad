// How the read-only classifier (read-only.ts) reads one program's arguments: an allowlist of its
// options, each known to take no value, a value that must be attached (`-U3`, `--color=never`) or a
// value that may be the next word (`-n 5`, `--max-count 5`). Any other option makes the command one
// Keel cannot vouch for. The asymmetry is deliberate: saying "takes the next word" of an option the
// program reads as a plain flag would skip a word the program then reads as an option, so options
// are only listed as taking the next word where the program surely does; everywhere else the next
// word is checked on its own (at worst a harmless command is asked about).

/** One word of a command as the shell splits it, and whether the shell may expand it into others. */
export interface Word {
  text: string;
  expands: boolean;
}

export interface OptionSpec {
  /** Short options without a value, bundled or not (`-rn`). */
  flags?: string;
  /** Short options whose value is attached or the next word (`-n5`, `-n 5`). */
  valued?: string;
  /** Short options with an optional value, only ever attached (`-U`, `-U3`). */
  attached?: string;
  /** Long options without a value. */
  long?: readonly string[];
  /** Long options whose value is attached or the next word (`--max-count=5`, `--max-count 5`). */
  longValued?: readonly string[];
  /** Long options whose value, if any, is attached (`--color`, `--color=never`). */
  longAttached?: readonly string[];
  /** `-5`: a count (head, tail, git log). */
  counts?: boolean;
  /** At most this many operands (`uniq in out` writes `out`, so uniq takes one); no operand may then expand. */
  maxOperands?: number;
}

export interface ReadArguments {
  operands: Word[];
  /** Each option given with a value, as written (`-e`, `--expression`), and the value. */
  values: Array<[option: string, value: string]>;
}

/** A word the shell may expand is only vouched for when whatever it expands to starts with a plain character (never `-`). */
export function expandsSafely(word: Word): boolean {
  return !word.expands || /^[A-Za-z0-9_./]/.test(word.text);
}

/** The operands and option values of `args` when every option is one `spec` lists; null otherwise. */
export function readArguments(args: readonly Word[], spec: OptionSpec): ReadArguments | null {
  const operands: Word[] = [];
  const values: Array<[string, string]> = [];
  /** The next word as the value of `option`; false when there is none or it may expand into an option. */
  const takeNext = (option: string, at: number): boolean => {
    const next = args[at];
    if (next === undefined || !expandsSafely(next)) return false;
    values.push([option, next.text]);
    return true;
  };
  let optionsEnded = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const text = arg.text;
    if (optionsEnded || text === '-' || !text.startsWith('-')) {
      operands.push(arg);
      continue;
    }
    if (arg.expands) return null;
    if (text === '--') {
      optionsEnded = true;
      continue;
    }
    if (text.startsWith('--')) {
      const eq = text.indexOf('=');
      const name = eq === -1 ? text : text.slice(0, eq);
      if (eq === -1 && spec.long?.includes(name)) continue;
      if (spec.longAttached?.includes(name)) {
        if (eq !== -1) values.push([name, text.slice(eq + 1)]);
        continue;
      }
      if (spec.longValued?.includes(name)) {
        if (eq !== -1) values.push([name, text.slice(eq + 1)]);
        else if (!takeNext(name, ++i)) return null;
        continue;
      }
      return null;
    }
    if (spec.counts && /^-\d+$/.test(text)) continue;
    for (let j = 1; j < text.length; j++) {
      const letter = text[j]!;
      if (spec.flags?.includes(letter)) continue;
      if (spec.attached?.includes(letter)) {
        if (j + 1 < text.length) values.push([`-${letter}`, text.slice(j + 1)]);
        break;
      }
      if (spec.valued?.includes(letter)) {
        if (j + 1 < text.length) values.push([`-${letter}`, text.slice(j + 1)]);
        else if (!takeNext(`-${letter}`, ++i)) return null;
        break;
      }
      return null;
    }
  }
  if (spec.maxOperands !== undefined) {
    if (operands.length > spec.maxOperands || operands.some((word) => word.expands)) return null;
  } else if (!operands.every(expandsSafely)) {
    return null;
  }
  return { operands, values };
}

/** A check that `args` only use the options `spec` lists. */
export const known =
  (spec: OptionSpec) =>
  (args: readonly Word[]): boolean =>
    readArguments(args, spec) !== null;
