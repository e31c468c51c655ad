// Keel's sandbox (a pure library): what a SandboxPolicy allows (policy.ts), the check Keel's own
// file tools run before a write or read (path-check.ts), bubblewrap confinement for commands
// (bubblewrap.ts, applied by startExec's `sandbox` option), whether bubblewrap works here
// (probe.ts) with its network filter (seccomp.ts), whether a failure looks like the sandbox's
// doing (denial.ts), and Keel's own writes confined to the roots at the moment of writing
// (confined-write.ts).
export { bwrapArgv, sandboxedLaunch, SECCOMP_FD, type BwrapOptions, type CommandSandbox, type SandboxLaunch } from './bubblewrap.js';
export { looksDeniedBySandbox, type DenialOptions } from './denial.js';
export { checkRead, checkWrite, type PathVerdict } from './path-check.js';
export { hiddenPaths, networkAllowed, protectedPaths, writableRoots, type SandboxContext } from './policy.js';
export { clearBubblewrapProbeCache, probeBubblewrap, type BubblewrapProbe } from './probe.js';
export { realLocation } from './real-path.js';
export { commitFile, ConfinementError, discardFile, prepareFile, removeEmptyDir, removeFile, writeFileAtomic, WRITE_TEMP_MARK, type PreparedWrite, type WriteConfinement } from './confined-write.js';
