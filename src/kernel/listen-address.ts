// What a listener is, shared by the command line that parses `--listen` and the server that binds
// it: the addresses, the WebSocket capability token, and the two facts both need about a host.
import net from 'node:net';

export type ListenAddress = { transport: 'stdio' } | { transport: 'unix'; path: string } | { transport: 'ws'; host: string; port: number };

/** `--ws-auth capability-token`: the client sends `Authorization: Bearer <token>`. */
export type CapabilityToken = { tokenFile: string } | { tokenSha256: string };

const loopback = new net.BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** 127.0.0.0/8, ::1 or localhost: reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  if (net.isIPv4(host)) return loopback.check(host, 'ipv4');
  return net.isIPv6(host) && loopback.check(host, 'ipv6');
}

/** The URL a client connects to (IPv6 hosts in brackets). */
export function wsUrl(host: string, port: number): string {
  return `ws://${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
}
