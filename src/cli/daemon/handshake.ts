// Asks the daemon whether it serves: connect, `initialize`, wait for the answer, `initialized`,
// close. A daemon that answers this is ready for clients.
import { keelVersion } from '../../version.js';
import { openDaemonSocket } from './daemon-socket.js';

export class HandshakeError extends Error {}

export async function handshake(socketPath: string, timeoutMs: number): Promise<void> {
  const { socket, closed } = await openDaemonSocket(socketPath, { handshakeTimeoutMs: timeoutMs });
  let answered = false;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new HandshakeError('connected, but initialize got no answer')), timeoutMs);
      const done = (error?: Error) => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      socket.on('message', (data) => {
        let message: { id?: unknown; result?: unknown; error?: { message?: string } };
        try {
          message = JSON.parse(data.toString()) as typeof message;
        } catch {
          return;
        }
        if (message.id !== 1) return;
        if (message.error !== undefined) return done(new HandshakeError(`initialize failed: ${message.error.message ?? JSON.stringify(message.error)}`));
        socket.send(JSON.stringify({ method: 'initialized' }), (error) => done(error ?? undefined));
      });
      void closed.then(({ code, error }) => done(error ?? new HandshakeError(`the daemon closed the connection (${code}) before answering initialize`)));
      socket.send(JSON.stringify({ id: 1, method: 'initialize', params: { clientInfo: { name: 'keel-daemon', title: null, version: keelVersion }, capabilities: {} } }));
    });
    answered = true;
  } finally {
    // A daemon that did not answer may not answer a close either: dropped, not waited for.
    if (answered) socket.close(1000);
    else socket.terminate();
    await closed;
  }
}
