// `initialize.userAgent` in Codex's shape, which clients parse: the first `x.y.z` is the protocol
// version they gate features on. Codex answers `<client>/<codex version> (<os> <os version>; <arch>)
// <terminal> (<client>; <client version>)`; Keel puts the Codex version it implements first and
// itself where Codex names the terminal: `<client>/0.169.0 (Debian 12.0.0; x86_64) keel/0.1.0 (<client>; <version>)`.
import fs from 'node:fs';
import os from 'node:os';
import { CODEX_PROTOCOL_VERSION } from '../../protocol/codex-version.js';

let platform: string | undefined;

export function userAgent(client: { name: string; version: string }, keelVersion: string): string {
  platform ??= `${osName()}; ${arch()}`;
  return `${client.name}/${CODEX_PROTOCOL_VERSION} (${platform}) keel/${keelVersion} (${client.name}; ${client.version})`;
}

/** The distribution and its version on Linux (as Codex reports them), else the OS and its release. */
function osName(): string {
  if (process.platform === 'darwin') return `Mac OS ${semver(os.release())}`;
  if (process.platform === 'win32') return `Windows ${semver(os.release())}`;
  try {
    const release = Object.fromEntries(
      fs
        .readFileSync('/etc/os-release', 'utf8')
        .split('\n')
        .map((line) => /^([A-Z_]+)=(.*)$/.exec(line))
        .filter((m): m is RegExpExecArray => m !== null)
        .map(([, key, value]) => [key!, value!.replace(/^"|"$/g, '')]),
    );
    const name = (release.NAME ?? 'Linux').split(' ')[0]!;
    return release.VERSION_ID ? `${name} ${semver(release.VERSION_ID)}` : name;
  } catch {
    return `${os.type()} ${semver(os.release())}`;
  }
}

/** `12` → `12.0.0`, `22.04` → `22.04.0`: three components, as Codex prints versions. */
function semver(version: string): string {
  const parts = version.split(/[.-]/).slice(0, 3);
  if (!parts.every((part) => /^\d+$/.test(part))) return version;
  while (parts.length < 3) parts.push('0');
  return parts.join('.');
}

function arch(): string {
  if (process.arch === 'x64') return 'x86_64';
  if (process.arch === 'arm64') return process.platform === 'darwin' ? 'arm64' : 'aarch64';
  return process.arch;
}
