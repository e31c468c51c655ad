// The network filter's bytecode (src/tools/sandbox/seccomp.ts), run by a small classic-BPF
// interpreter over seccomp_data: what each syscall gets, per architecture. The kernel's own
// verdicts are checked with real commands in sockets.test.ts.
import { describe, expect, it } from 'vitest';
import { networkSeccompProgram } from '../../../src/tools/sandbox/seccomp.js';

const AUDIT_ARCH = { x64: 0xc000003e, arm64: 0xc00000b7, i386: 0x40000003 } as const;
type Verdict = 'allow' | 'EPERM' | 'kill';

/** Runs the program over struct seccomp_data {nr, arch, ip, args[6]} (little-endian). */
function run(program: Buffer, arch: number, nr: number, args: bigint[] = []): Verdict {
  const data = Buffer.alloc(64);
  data.writeInt32LE(nr, 0);
  data.writeUInt32LE(arch, 4);
  args.forEach((arg, i) => data.writeBigUInt64LE(arg, 16 + i * 8));
  let accumulator = 0;
  for (let pc = 0; pc < program.length / 8; pc++) {
    const code = program.readUInt16LE(pc * 8);
    const jt = program.readUInt8(pc * 8 + 2);
    const jf = program.readUInt8(pc * 8 + 3);
    const k = program.readUInt32LE(pc * 8 + 4);
    if (code === 0x20) accumulator = data.readUInt32LE(k);
    else if (code === 0x15) pc += accumulator === k ? jt : jf;
    else if (code === 0x35) pc += accumulator >= k ? jt : jf;
    else if (code === 0x06) return k === 0x7fff0000 ? 'allow' : k === 0x00050001 ? 'EPERM' : k === 0x80000000 ? 'kill' : (`ret ${k}` as Verdict);
    else throw new Error(`unknown instruction ${code} at ${pc}`);
  }
  throw new Error('fell off the end of the program');
}

const AF_UNIX = 1n;
const AF_INET = 2n;

describe('networkSeccompProgram', () => {
  it('on x86-64: refuses what reaches out, allows unix socketpairs and sends on connected sockets, kills other ABIs', () => {
    const program = networkSeccompProgram('x64');
    const x64 = (nr: number, args?: bigint[]) => run(program, AUDIT_ARCH.x64, nr, args);
    expect({
      read: x64(0),
      socketUnix: x64(41, [AF_UNIX]),
      socketInet: x64(41, [AF_INET]),
      socketUnixHighBits: x64(41, [AF_UNIX | (1n << 32n)]),
      socketpairUnix: x64(53, [AF_UNIX]),
      socketpairInet: x64(53, [AF_INET]),
      connect: x64(42),
      bind: x64(49),
      listen: x64(50),
      accept4: x64(288),
      sendWithoutAddress: x64(44, [3n, 0n, 1n, 0n, 0n]),
      sendtoAnAddress: x64(44, [3n, 0n, 1n, 0n, 0x7ffd_0000n]),
      sendtoAHighAddress: x64(44, [3n, 0n, 1n, 0n, 0x7ffd_0000_0000n]),
      sendmsg: x64(46),
      shutdown: x64(48),
      setsockopt: x64(54),
      ioUringSetup: x64(425),
      ptrace: x64(101),
      x32Socket: x64(0x40000000 + 41, [AF_INET]),
      i386Socketcall: run(program, AUDIT_ARCH.i386, 102),
    }).toEqual({
      read: 'allow',
      socketUnix: 'allow',
      socketInet: 'EPERM',
      // The kernel reads an int: the high word of the argument is not the family.
      socketUnixHighBits: 'allow',
      socketpairUnix: 'allow',
      socketpairInet: 'EPERM',
      connect: 'EPERM',
      bind: 'EPERM',
      listen: 'EPERM',
      accept4: 'EPERM',
      sendWithoutAddress: 'allow',
      sendtoAnAddress: 'EPERM',
      sendtoAHighAddress: 'EPERM',
      sendmsg: 'allow',
      shutdown: 'allow',
      setsockopt: 'allow',
      ioUringSetup: 'EPERM',
      ptrace: 'EPERM',
      x32Socket: 'kill',
      i386Socketcall: 'kill',
    });
  });

  it('on arm64: its own numbers, and an x86-64 syscall is killed', () => {
    const program = networkSeccompProgram('arm64');
    const arm = (nr: number, args?: bigint[]) => run(program, AUDIT_ARCH.arm64, nr, args);
    expect([arm(203), arm(198, [AF_UNIX]), arm(198, [AF_INET]), arm(42), arm(63), run(program, AUDIT_ARCH.x64, 0)]).toEqual(['EPERM', 'allow', 'EPERM', 'allow', 'allow', 'kill']);
  });

  it('knows x64 and arm64 only, and says so', () => {
    expect(() => networkSeccompProgram('ppc64')).toThrow('Keel cannot filter the network of sandboxed commands on ppc64 (it knows x64 and arm64)');
  });
});
