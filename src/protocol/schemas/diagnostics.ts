import * as z from 'zod';
import { emptyObject, UInt } from './common.js';

export const ServerDiagnosticsParams = emptyObject();

export const ServerDiagnosticsGauge = z.object({ name: z.string(), value: UInt });
export const ServerDiagnosticsProcess = z.object({
  id: UInt,
  physicalFootprintBytes: UInt.nullish(),
  residentMemoryBytes: UInt.nullish(),
});

export const ServerDiagnosticsResponse = z.object({
  gauges: z.array(ServerDiagnosticsGauge),
  process: ServerDiagnosticsProcess,
});
