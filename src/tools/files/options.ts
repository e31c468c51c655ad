// Checks of the options every function here takes, refused as `invalid` naming the option.
import path from 'node:path';
import { DomainError } from '../../kernel/errors.js';

export function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new DomainError('invalid', `must be a positive integer, got ${value}`, name);
  return value;
}

/** `file`, normalised, when it is absolute. */
export function absolutePath(file: string, name = 'path'): string {
  if (!path.isAbsolute(file)) throw new DomainError('invalid', `not an absolute path: ${file}`, name);
  return path.resolve(file);
}
