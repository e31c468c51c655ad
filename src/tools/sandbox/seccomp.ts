// The seccomp filter a command without network runs under (bwrap installs it just before exec,
// `--seccomp FD`): as Codex's Linux sandbox, the socket calls that reach anything are refused with
// EPERM, since `--unshare-net` cuts IP but not path-based unix sockets: connect, bind, listen,
// accept, sendto to an address, and socket()/socketpair() of any family but AF_UNIX. What is left
// works: socketpair(AF_UNIX) and send/recv on it (tools that manage subprocesses with them: cargo,
// Python's multiprocessing, Node's child_process), so unlike Codex's filter this one allows send()
// (sendto with no address), shutdown and get/setsockopt: none of them can open a connection, and
// libuv shuts down its socketpairs (every Node `execSync` failed with EPERM without it). Also
// refused: sendmmsg/recvmmsg, io_uring (it connects without a syscall the filter sees) and ptrace
// (on old kernels it could rewrite a syscall after the filter judged it).
//
// The program is classic BPF over struct seccomp_data {int nr; u32 arch; u64 ip; u64 args[6]},
// little-endian. A syscall of another ABI than the one the table is for (i386's int 0x80 with its
// socketcall multiplexer, x32) would pass a number check unseen, so it kills the process instead.

/** struct sock_filter: u16 code, u8 jt, u8 jf, u32 k. */
interface Instruction {
  code: number;
  /** Jump targets: a label, or 0 (the next instruction). */
  jt?: string;
  jf?: string;
  k: number;
  label?: string;
}

const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JGE_K = 0x35;
const RET_K = 0x06;

const RET_ALLOW = 0x7fff_0000;
const RET_EPERM = 0x0005_0000 | 1;
const RET_KILL_PROCESS = 0x8000_0000;

const OFFSET_NR = 0;
const OFFSET_ARCH = 4;
const argLow = (index: number) => 16 + index * 8;
const argHigh = (index: number) => 16 + index * 8 + 4;

const AF_UNIX = 1;

interface ArchTable {
  auditArch: number;
  /** Numbers at or above this belong to another ABI on the same arch (x32 on x86_64). */
  foreignFrom: number | null;
  socket: number;
  socketpair: number;
  sendto: number;
  denied: number[];
}

// Numbers from the kernel's syscall tables (arch/x86/entry/syscalls/syscall_64.tbl, include/uapi/asm-generic/unistd.h).
const ARCHES: Partial<Record<NodeJS.Architecture, ArchTable>> = {
  x64: {
    auditArch: 0xc000_003e,
    foreignFrom: 0x4000_0000,
    socket: 41,
    socketpair: 53,
    sendto: 44,
    // connect accept bind listen ptrace accept4 recvmmsg sendmmsg io_uring_{setup,enter,register}
    denied: [42, 43, 49, 50, 101, 288, 299, 307, 425, 426, 427],
  },
  arm64: {
    auditArch: 0xc000_00b7,
    foreignFrom: null,
    socket: 198,
    socketpair: 199,
    sendto: 206,
    denied: [203, 202, 200, 201, 117, 242, 243, 269, 425, 426, 427],
  },
};

/** The compiled filter for `arch` (bwrap's `--seccomp` input); throws on an architecture Keel has no table for. */
export function networkSeccompProgram(arch: NodeJS.Architecture = process.arch): Buffer {
  const table = ARCHES[arch];
  if (table === undefined) throw new Error(`Keel cannot filter the network of sandboxed commands on ${arch} (it knows x64 and arm64)`);
  const program: Instruction[] = [
    { code: LD_W_ABS, k: OFFSET_ARCH },
    { code: JEQ_K, k: table.auditArch, jf: 'kill' },
    { code: LD_W_ABS, k: OFFSET_NR },
    ...(table.foreignFrom === null ? [] : [{ code: JGE_K, k: table.foreignFrom, jt: 'kill' }]),
    { code: JEQ_K, k: table.socket, jt: 'family' },
    { code: JEQ_K, k: table.socketpair, jt: 'family' },
    { code: JEQ_K, k: table.sendto, jt: 'sendto' },
    ...table.denied.map((nr) => ({ code: JEQ_K, k: nr, jt: 'deny' })),
    { code: RET_K, k: RET_ALLOW },
    // socket(domain, …) and socketpair(domain, …): AF_UNIX only (an int: the low word).
    { label: 'family', code: LD_W_ABS, k: argLow(0) },
    { code: JEQ_K, k: AF_UNIX, jt: 'allow', jf: 'deny' },
    // sendto(fd, buf, len, flags, dest_addr, addrlen): a connected socket only (dest_addr NULL).
    { label: 'sendto', code: LD_W_ABS, k: argLow(4) },
    { code: JEQ_K, k: 0, jf: 'deny' },
    { code: LD_W_ABS, k: argHigh(4) },
    { code: JEQ_K, k: 0, jt: 'allow', jf: 'deny' },
    { label: 'allow', code: RET_K, k: RET_ALLOW },
    { label: 'deny', code: RET_K, k: RET_EPERM },
    { label: 'kill', code: RET_K, k: RET_KILL_PROCESS },
  ];
  return assemble(program);
}

/** Resolves the labels to relative jumps and lays the program out as struct sock_filter[]. */
function assemble(program: readonly Instruction[]): Buffer {
  const at = new Map(program.flatMap((instruction, index) => (instruction.label === undefined ? [] : [[instruction.label, index] as const])));
  const out = Buffer.alloc(program.length * 8);
  program.forEach((instruction, index) => {
    const jump = (label: string | undefined): number => {
      if (label === undefined) return 0;
      const target = at.get(label);
      if (target === undefined || target <= index || target - index - 1 > 255) throw new Error(`seccomp: bad jump to ${label} at ${index}`);
      return target - index - 1;
    };
    out.writeUInt16LE(instruction.code, index * 8);
    out.writeUInt8(jump(instruction.jt), index * 8 + 2);
    out.writeUInt8(jump(instruction.jf), index * 8 + 3);
    out.writeUInt32LE(instruction.k >>> 0, index * 8 + 4);
  });
  return out;
}
