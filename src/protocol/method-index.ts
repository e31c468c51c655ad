// What dispatch needs to know about a method before its params are validated — direction,
// stability, experimental fields — as plain data (generated from the method table into
// generated/methods.ts), so start-up does not build every zod schema in the table.
import { methodIndex } from '../../generated/methods.js';

export type MethodInfo = (typeof methodIndex)[number];

const byName = new Map<string, MethodInfo>(methodIndex.map((entry) => [entry.method, entry]));

export function methodInfo(method: string): MethodInfo | undefined {
  return byName.get(method);
}

export function methodsWhere(match: (info: MethodInfo) => boolean): string[] {
  return methodIndex.filter(match).map((entry) => entry.method);
}
