// Idle cost of MCP servers: Keel with two configured servers (the suite's fixture server and the
// published server-everything), both started by a thread and ready, then left alone for 10 s.
// Prints the CPU time Keel and each server process used meanwhile (from /proc): with no polling
// and no pings, all of them should stay near zero.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSeconds, startKeel } from './lib/keel-session.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const IDLE_MS = 10_000;
const fixture = path.join(root, 'tests', 'fixtures', 'mcp', 'fixture-server.mjs');
const everything = path.join(root, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');

const server = startKeel((home) => {
  const toml = (v) => JSON.stringify(v);
  fs.writeFileSync(
    path.join(home, 'config.toml'),
    [
      `[mcp_servers.fixture]`, `command = ${toml(process.execPath)}`, `args = ${toml([fixture])}`,
      `[mcp_servers.everything]`, `command = ${toml(process.execPath)}`, `args = ${toml([everything, 'stdio'])}`,
    ].join('\n') + '\n',
  );
  return {};
});
const ready = new Set();
const bothReady = new Promise((resolve) => {
  server.onOther((m) => {
    if (m.method === 'mcpServer/startupStatus/updated' && m.params.status === 'ready') ready.add(m.params.name);
    if (ready.size === 2) resolve();
  });
});
await server.openThread({ ephemeral: true });
await bothReady;

/** Keel's children (the MCP servers lead their own process groups, but their parent is Keel). */
function children(pid) {
  return fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).map(Number).filter((child) => {
    try {
      return fs.readFileSync(`/proc/${child}/stat`, 'utf8').split(') ')[1].split(' ')[1] === String(pid);
    } catch {
      return false;
    }
  });
}

// Let start-up work finish (a just-started Node process still compiles and collects for a moment).
await new Promise((resolve) => setTimeout(resolve, 3_000));
const pids = [server.child.pid, ...children(server.child.pid)];
const before = pids.map((pid) => cpuSeconds(pid));
await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
const used = pids.map((pid, i) => ((cpuSeconds(pid) - before[i]) * 1000).toFixed(0));
const nameOf = (pid) => (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('server-everything') ? 'server-everything' : 'fixture');
const servers = pids.slice(1).map((pid, i) => `${nameOf(pid)} ${used[i + 1]} ms`);
console.log(`idle ${IDLE_MS / 1000} s with two ready MCP servers: Keel ${used[0]} ms CPU; servers: ${servers.join(', ')} (a server's own timers are its own; clock ticks are 10 ms)`);
await server.close();
