// Params validation at the edge: a zod failure becomes -32602 naming the field path.
import type { z } from 'zod';
import { RpcErrors } from '../protocol/errors.js';

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? 'params' : out;
}

export function parseParams<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap((issue) => explained(issue, [])).map(({ path, message }) => ({ path: formatPath(path), message }));
  const summary = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  throw RpcErrors.invalidParams(summary, { issues });
}

type Issue = z.core.$ZodIssue;

/**
 * An issue as a client can act on it. zod says only "Invalid input" when no branch of a union
 * matched (approvalPolicy: a mode or `{granular: …}`): a value of one branch's shape gets that
 * branch's own issues, at their path; anything else is told every alternative, enums by value.
 */
function explained(issue: Issue, prefix: readonly PropertyKey[]): Array<{ path: PropertyKey[]; message: string }> {
  const path = [...prefix, ...issue.path];
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [{ path, message: issue.message }];
  // A branch whose issues all lie inside the value: the value has that branch's shape.
  const inside = issue.errors.filter((branch) => branch.length > 0 && branch.every((inner) => inner.path.length > 0));
  if (inside.length === 1) return inside[0]!.flatMap((inner) => explained(inner, path));
  const alternatives = issue.errors.map((branch) => (branch.length === 1 && branch[0]!.path.length === 0 ? alternative(branch[0]!) : null));
  if (alternatives.some((text) => text === null)) return [{ path, message: issue.message }];
  return [{ path, message: `Invalid option: expected ${alternatives.join(', or ')}` }];
}

/** What one branch of a union accepts, from the issue it raised at the value itself. */
function alternative(issue: Issue): string | null {
  if (issue.code === 'invalid_value') return `one of ${issue.values.map((value) => JSON.stringify(value)).join('|')}`;
  if (issue.code === 'invalid_type') return /^[aeiou]/.test(issue.expected) ? `an ${issue.expected}` : `a ${issue.expected}`;
  return null;
}
