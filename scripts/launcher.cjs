#!/usr/bin/env -S node --expose-gc
// Keel's entry: runs dist/keel-server.cjs through a V8 code cache, so a start-up does not
// re-compile the bundle (Node 20 has no built-in compile cache). --expose-gc gives the idle
// collection its gc() (src/kernel/idle-gc.ts); `node dist/keel.cjs` without it runs Keel all the
// same, without that collection. The flag has a start-up price on Node 20: V8 rejects Node's own
// code cache for its built-in modules under changed flags (~13 ms of CPU per start here). The cache lives beside the
// bundle, or in the temp dir when dist/ is read-only; V8 rejects a stale one and it is rewritten.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const file = path.join(__dirname, 'keel-server.cjs');
const source = fs.readFileSync(file, 'utf8');
const stamp = `${process.version}-${fs.statSync(file).size}-${fs.statSync(file).mtimeMs}`;
// V8 rejects a cache made under other flags: a Node with --expose-gc (the shebang, the daemon) and
// one without (`node dist/keel.cjs`) each keep their own, or every switch between them recompiles.
const variant = typeof globalThis.gc === 'function' ? '.gc' : '';
const cacheFiles = [path.join(__dirname, `.keel-server${variant}.v8cache`), path.join(os.tmpdir(), `keel-server-${Buffer.from(__dirname).toString('hex').slice(-24)}${variant}.v8cache`)];

let cached;
for (const candidate of cacheFiles) {
  try {
    const data = fs.readFileSync(candidate);
    const end = data.indexOf(10);
    if (data.subarray(0, end).toString() === stamp) {
      cached = data.subarray(end + 1);
      break;
    }
  } catch {}
}

const script = new vm.Script(Module.wrap(source), {
  filename: file,
  cachedData: cached,
  importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
if (cached === undefined || script.cachedDataRejected) {
  // Written once the server has started: it holds what start-up compiles, and no more (a cache
  // of everything a session ever ran is larger and slower to load than it saves).
  setImmediate(() => {
    const data = Buffer.concat([Buffer.from(`${stamp}\n`), script.createCachedData()]);
    for (const candidate of cacheFiles) {
      try {
        fs.writeFileSync(`${candidate}.${process.pid}`, data);
        fs.renameSync(`${candidate}.${process.pid}`, candidate);
        break;
      } catch {}
    }
  });
}
const server = new Module(file, module);
server.filename = file;
server.paths = Module._nodeModulePaths(__dirname);
script.runInThisContext()(server.exports, Module.createRequire(file), server, file, __dirname);
