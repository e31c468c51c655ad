// Type-level views of the method table: params and results as the server sees them.
import type { z } from 'zod';
import type { ClientRequestMethod, MethodTable, ServerNotificationMethod, ServerRequestMethod } from './method-table.js';

type RequestMethod = ClientRequestMethod | ServerRequestMethod;

export type ParamsOf<M extends RequestMethod | ServerNotificationMethod> = MethodTable[M] extends { params: infer P extends z.ZodType }
  ? z.output<P>
  : never;
export type ResultOf<M extends RequestMethod> = MethodTable[M] extends { result: infer R extends z.ZodType } ? z.output<R> : never;
