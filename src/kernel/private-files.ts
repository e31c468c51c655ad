// Keel's files hold conversations and keys, so they are their owner's alone: the files it writes
// are 0600 and the directories it creates 0700 (as Codex's ~/.codex). A directory that already
// exists keeps its mode — it may be the user's own choice — since the files in it are private.
import fs from 'node:fs';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** `mkdir -p`, each directory it creates 0700 (a umask only removes bits, and never the owner's in practice). */
export function makePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}
