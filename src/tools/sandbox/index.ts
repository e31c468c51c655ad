// Keel's sandbox (a pure library): what a SandboxPolicy allows (policy.ts), the check Keel's own
// file tools run before a write or read (path-check.ts), bubblewrap confinement for commands
// (bubblewrap.ts, applied by startExec's `sandbox` option), whether bubblewrap works here
// (probe.ts), and whether a failure looks like the sandbox's doing (denial.ts).
export { bwrapArgv, sandboxedArgv, type BwrapOptions, type CommandSandbox } from './bubblewrap.js';
export { looksDeniedBySandbox, type DenialOptions } from './denial.js';
export { checkRead, checkWrite, type PathVerdict } from './path-check.js';
export { hiddenPaths, networkAllowed, protectedPaths, writableRoots, type SandboxContext } from './policy.js';
export { clearBubblewrapProbeCache, probeBubblewrap, type BubblewrapProbe } from './probe.js';
export { realLocation } from './real-path.js';
