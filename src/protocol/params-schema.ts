// The zod schema that validates a client request's params. The handshake's own schema is small
// and loaded at start-up; the rest of the method table is loaded on first use (and warmed up
// right after `initialize` is answered).
import type { z } from 'zod';
import type { ClientRequestMethod } from './method-table.js';
import { InitializeParams } from './schemas/initialize.js';

let table: Promise<typeof import('./method-table.js')> | undefined;
const loadTable = () => (table ??= import('./method-table.js'));

export function paramsSchema(method: ClientRequestMethod): z.ZodType | Promise<z.ZodType> {
  if (method === 'initialize') return InitializeParams;
  return loadTable().then(({ methodTable }) => methodTable[method].params);
}

export function warmUpSchemas(): void {
  void loadTable();
}
