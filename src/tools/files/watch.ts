// Watches one path for changes, as Codex's fs/watch does: not recursively. A directory reports its
// own entries that change (created, written, removed, renamed). A file is watched through its
// directory, so that an editor's save-by-rename and a delete-then-create are seen, and reports
// itself. A path that does not exist yet is watched through its nearest existing ancestor and
// reports itself once it appears. Changes are gathered for `debounceMs` (Codex: 200 ms) after the
// first one, then reported once, sorted, without repeats. Node's fs.watch (inotify on Linux) does
// the watching, without keeping the process alive.
import { watch, type FSWatcher } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

export const WATCH_DEBOUNCE_MS = 200;

export interface PathWatch {
  /** Stops watching; nothing is reported after it returns. */
  close(): void;
}

export interface WatchOptions {
  debounceMs?: number;
  /** A watcher the system ended (the watched directory was removed…); watching goes on from what exists. */
  onError?: (error: Error) => void;
}

async function isDirectory(file: string): Promise<boolean> {
  return (await fs.stat(file).catch(() => null))?.isDirectory() ?? false;
}

type Mode = 'directory' | 'parent' | 'ancestor';

class TargetWatch implements PathWatch {
  private watcher: FSWatcher | null = null;
  private mode: Mode = 'parent';
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly target: string,
    private readonly onChange: (paths: string[]) => void,
    private readonly debounceMs: number,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Watches the target if it is a directory, else its directory, else its nearest existing ancestor. */
  async arm(): Promise<void> {
    this.watcher?.close();
    this.watcher = null;
    if (await isDirectory(this.target)) return this.listen('directory', this.target);
    let dir = path.dirname(this.target);
    while (!(await isDirectory(dir)) && path.dirname(dir) !== dir) dir = path.dirname(dir);
    if (dir === path.dirname(this.target)) return this.listen('parent', dir);
    this.listen('ancestor', dir);
    // The next directory on the way may have been made before the watch was in place.
    const next = path.relative(dir, this.target).split(path.sep)[0]!;
    if (await isDirectory(path.join(dir, next))) await this.changed(dir, next);
  }

  close(): void {
    this.closed = true;
    this.watcher?.close();
    this.watcher = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
  }

  private listen(mode: Mode, dir: string): void {
    if (this.closed) return;
    this.mode = mode;
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, { persistent: false }, (_event, name) => {
        if (!this.closed && this.watcher === watcher) void this.changed(dir, typeof name === 'string' && name !== '' ? name : null);
      });
    } catch (error) {
      this.onError(error as Error);
      return;
    }
    watcher.on('error', (error) => {
      if (this.watcher !== watcher) return;
      this.onError(error);
      void this.rearm();
    });
    this.watcher = watcher;
  }

  private async changed(dir: string, name: string | null): Promise<void> {
    const base = path.basename(this.target);
    if (this.mode === 'directory') {
      // inotify names a removed watched directory by its own name: tell it from a child of that name.
      if (name === null || (name === base && !(await isDirectory(this.target)))) {
        this.add([this.target]);
        return this.rearm();
      }
      return this.add([path.join(this.target, name)]);
    }
    if (this.mode === 'parent') {
      if (name !== base) return;
      this.add([this.target]);
      // It became a directory: watch its entries from now on.
      if (await isDirectory(this.target)) return this.rearm();
      return;
    }
    // Watching an ancestor: the next component on the way to the target changed.
    if (name === null || name === path.relative(dir, this.target).split(path.sep)[0]) {
      await this.rearm();
      if (this.mode !== 'ancestor' && (await fs.lstat(this.target).then(() => true, () => false))) this.add([this.target]);
    }
  }

  private async rearm(): Promise<void> {
    if (!this.closed) await this.arm();
  }

  private add(paths: string[]): void {
    if (this.closed || paths.length === 0) return;
    for (const changed of paths) this.pending.add(changed);
    this.timer ??= setTimeout(() => this.flush(), this.debounceMs);
  }

  private flush(): void {
    this.timer = null;
    if (this.closed || this.pending.size === 0) return;
    const paths = [...this.pending].sort();
    this.pending.clear();
    this.onChange(paths);
  }
}

/** Starts watching `target` (absolute); resolves once the watch is in place. */
export async function watchPath(target: string, onChange: (paths: string[]) => void, options: WatchOptions = {}): Promise<PathWatch> {
  const watcher = new TargetWatch(path.resolve(target), onChange, options.debounceMs ?? WATCH_DEBOUNCE_MS, options.onError ?? (() => {}));
  await watcher.arm();
  return watcher;
}
