// Tool calls on the built-in scripted provider (OpenAI toolset), so what is measured is Keel's own
// work around a command: (1) per-call cost of exec_command over 40 calls of `true`, against a bare
// spawn of the same login shell; (2) a command writing ~2 MB streamed as output deltas to the client.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { cpuSeconds, startKeel } from './lib/keel-session.mjs';

const CALLS = 40;
const LINES = 300_000;

function scripted(responses) {
  return startKeel((home) => {
    const scriptPath = path.join(home, 'script.json');
    fs.writeFileSync(scriptPath, JSON.stringify({ responses }));
    return { KEEL_SCRIPT: scriptPath };
  });
}

const call = (cmd) => [{ toolCall: { name: 'exec_command', arguments: { cmd } } }];

/** A turn; counts output deltas and their bytes; resolves with turn/completed. */
function turn(server, threadId, onDelta) {
  return new Promise((resolve) => {
    server.onOther((m) => {
      if (m.method === 'item/commandExecution/outputDelta') onDelta(m.params.delta);
      else if (m.method === 'turn/completed') resolve(m);
    });
    server.request('turn/start', { threadId, input: [{ type: 'text', text: 'go' }] });
  });
}

async function perCall() {
  const server = scripted([call('true'), [{ text: 'warm' }], ...Array.from({ length: CALLS }, () => call('true')), [{ text: 'done' }]]);
  const threadId = await server.openThread({ ephemeral: false });
  await turn(server, threadId, () => {});
  const cpu0 = cpuSeconds(server.child.pid);
  const t0 = performance.now();
  await turn(server, threadId, () => {});
  const ms = performance.now() - t0;
  const cpu = cpuSeconds(server.child.pid) - cpu0;
  await server.close();
  // The floor: the same login shell spawned directly, CALLS times.
  const s0 = performance.now();
  for (let i = 0; i < CALLS; i++) spawnSync('bash', ['-lc', 'true']);
  const spawnMs = (performance.now() - s0) / CALLS;
  return { perCallMs: ms / CALLS, cpuPerCallMs: (cpu * 1000) / CALLS, spawnMs };
}

async function streamed() {
  const server = scripted([call(`seq 1 ${LINES}`), [{ text: 'done' }]]);
  const threadId = await server.openThread({ ephemeral: false });
  let deltas = 0;
  let bytes = 0;
  const t0 = performance.now();
  await turn(server, threadId, (delta) => {
    deltas++;
    bytes += Buffer.byteLength(delta);
  });
  const ms = performance.now() - t0;
  await server.close();
  return { deltas, bytes, ms };
}

const a = await perCall();
console.log(`exec_command per call (${CALLS} calls of \`true\`, one model response each): ${a.perCallMs.toFixed(1)} ms wall, ${a.cpuPerCallMs.toFixed(1)} ms Keel CPU; a bare \`bash -lc true\` spawn: ${a.spawnMs.toFixed(1)} ms`);
const b = await streamed();
console.log(`streamed output (seq 1 ${LINES}): ${(b.bytes / 1e6).toFixed(2)} MB in ${b.deltas} deltas, turn ${b.ms.toFixed(0)} ms, ${(b.bytes / 1e6 / (b.ms / 1000)).toFixed(1)} MB/s to the client`);
