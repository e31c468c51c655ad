// The daemon commands' view of the real system: this Node and this Keel program, spawned detached;
// real signals; the socket asked with a real handshake.
import path from 'node:path';
import { osProcessProbe } from '../../kernel/liveness.js';
import { keelVersion } from '../../version.js';
import { defaultTiming, type DaemonControl } from './daemon-control.js';
import { handshake } from './handshake.js';
import { spawnDaemon } from './spawn-daemon.js';

/** `programPath`: the Keel to start; by default the program this Node runs (dist/keel.cjs in the build). */
export function osDaemonControl(home: string, programPath = path.resolve(process.argv[1] ?? '')): DaemonControl {
  return {
    probe: osProcessProbe,
    handshake,
    spawn: (paths, config) => spawnDaemon(paths, config, { execPath: process.execPath, programPath, env: process.env, cwd: home }),
    kill: (pid, signal) => process.kill(pid, signal),
    version: keelVersion,
    timing: defaultTiming,
  };
}
