// What the tokenless ws:// listener's look-up of each client costs (src/server/listeners/
// sandboxed-peer.ts): a loopback client of this process connects ROUNDS times, each looked up as
// an upgrade would be. This process is older than most, so the newest-first scan reads nearly
// every process's descriptors: close to the worst case. Run as
//   node --import tsx bench/ws-peer-lookup.mts
// Prints one JSON line: { processes, rounds, medianMs, p90Ms, maxMs }.
import fs from 'node:fs';
import net from 'node:net';
import { sandboxedPeerRefusal } from '../src/server/listeners/sandboxed-peer.js';

const ROUNDS = 40;
const server = net.createServer();
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as net.AddressInfo).port;
const times: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
  const client = net.connect(port, '127.0.0.1');
  const socket = await accepted;
  const started = performance.now();
  const refusal = await sandboxedPeerRefusal(socket);
  times.push(performance.now() - started);
  if (refusal !== null) throw new Error(`a client of this process was refused: ${refusal}`);
  client.destroy();
  socket.destroy();
}
server.close();
times.sort((a, b) => a - b);
const at = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))]! * 10) / 10;
const processes = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name)).length;
console.log(JSON.stringify({ processes, rounds: ROUNDS, medianMs: at(0.5), p90Ms: at(0.9), maxMs: at(1) }));
