// A server's exit in words: code or signal, then the last lines of its stderr (the usual reason).
import type { ProcessExit } from './process-stdio-transport.js';

export function describeExit(exit: ProcessExit | null, stderr: string[]): string {
  const how = !exit ? 'closed the connection' : exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  return stderr.length > 0 ? `${how}; stderr:\n${stderr.join('\n')}` : how;
}
