// The unix socket's file: its directory private (0700 when Keel creates it), a stale socket left by
// a Keel that died replaced, a live one (or any other file) never touched, the socket itself 0600
// from the moment it is bound, and removed when Keel stops — only if it is still the one it bound.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../../kernel/private-files.js';

/** sockaddr_un holds 108 bytes on Linux, the terminating NUL included (104 on macOS). */
export const MAX_SOCKET_PATH_BYTES = process.platform === 'linux' ? 107 : 103;

/** Resolves true when something accepts connections on the socket at `socketPath`. */
function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect(socketPath);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    // ECONNREFUSED: a socket file nobody listens on (its Keel died); any other error: treated alike.
    probe.once('error', () => resolve(false));
  });
}

/** Makes `socketPath` free to bind, or says why Keel must not. */
export async function claimSocketPath(socketPath: string): Promise<string | null> {
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH_BYTES) {
    return `unix://${socketPath}: the path is longer than a unix socket allows (${MAX_SOCKET_PATH_BYTES} bytes)`;
  }
  try {
    makePrivateDir(path.dirname(socketPath));
  } catch (error) {
    return `unix://${socketPath}: cannot create its directory (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(socketPath);
  } catch {
    return null;
  }
  if (!stat.isSocket()) return `unix://${socketPath}: the path exists and is not a socket; Keel leaves it alone`;
  if (await answers(socketPath)) return `unix://${socketPath}: another Keel is listening on ${socketPath}`;
  try {
    fs.unlinkSync(socketPath);
  } catch (error) {
    return `unix://${socketPath}: cannot remove the stale socket (${(error as NodeJS.ErrnoException).code})`;
  }
  return null;
}

/**
 * Binds `server` to `socketPath` with the socket file 0600 from the start (the umask is narrowed
 * around the synchronous bind, then the mode set again in case a file system ignores it).
 * Resolves with the socket's inode, to recognise the file at removal.
 */
export function listenPrivately(server: net.Server, socketPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const umask = process.umask(0o177);
    try {
      server.listen(socketPath, () => {
        server.off('error', reject);
        try {
          fs.chmodSync(socketPath, PRIVATE_FILE_MODE);
          resolve(fs.statSync(socketPath).ino);
        } catch (error) {
          reject(error as Error);
        }
      });
    } finally {
      process.umask(umask);
    }
  });
}

/** Removes the socket file if it is still the one bound (another Keel may have replaced it since). */
export function removeSocketFile(socketPath: string, inode: number): void {
  try {
    if (fs.lstatSync(socketPath).ino === inode) fs.unlinkSync(socketPath);
  } catch {
    // Already gone.
  }
}
