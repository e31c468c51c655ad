import type { Handler } from '../dispatch.js';

export interface DiagnosticsSource {
  startedAtMs: number;
  /** Extra gauges from other parts of the server (loaded threads, running turns…). */
  gauges(): Array<{ name: string; value: number }>;
}

export function diagnosticsHandler(source: DiagnosticsSource): Handler<'server/diagnostics'> {
  return () => {
    const memory = process.memoryUsage();
    return {
      process: { id: process.pid, residentMemoryBytes: memory.rss, physicalFootprintBytes: null },
      gauges: [
        { name: 'uptimeMs', value: Math.max(0, Date.now() - source.startedAtMs) },
        { name: 'heapUsedBytes', value: memory.heapUsed },
        ...source.gauges(),
      ],
    };
  };
}
