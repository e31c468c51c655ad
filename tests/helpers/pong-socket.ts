// A unix-socket echo server and one exchange with it, for the tests that check which sockets a
// sandboxed command (or a client outside the sandbox) can still reach.
import net from 'node:net';

/** An echo server on a unix socket: answers "pong" to every message. */
export function pongServer(socketPath: string): Promise<net.Server> {
  const server = net.createServer((socket) => socket.on('data', () => socket.write('pong')).on('error', () => {}));
  return new Promise((resolve) => server.listen(socketPath, () => resolve(server)));
}

/** A client outside the sandbox: one exchange on an open connection. */
export function exchange(client: net.Socket): Promise<string> {
  return new Promise((resolve) => {
    client.once('data', (data) => resolve(String(data)));
    client.write('ping');
  });
}
