// When Keel goes idle after work — no turn running anywhere — one full garbage collection hands
// back the memory a turn's stream churned through. Left alone, V8 keeps its grown heap for a long
// time after a burst of allocation, so an idle Keel would sit at its busiest size. The collection
// runs a moment after the last turn ends, off every request's path, and is skipped if work resumed.
import v8 from 'node:v8';
import vm from 'node:vm';

type Collect = () => void;

let collect: Collect | null | undefined;
let timer: NodeJS.Timeout | null = null;

/** V8's gc(), exposed once; null where the flag cannot be set (then nothing is collected). */
function collector(): Collect | null {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      collect = vm.runInNewContext('gc') as Collect;
    } catch {
      collect = null;
    }
  }
  return collect;
}

/** Collects `delayMs` from now if `isIdle()` still holds then; a later call replaces an earlier one. */
export function collectWhenIdle(isIdle: () => boolean, delayMs = 300): void {
  if (timer !== null) clearTimeout(timer);
  timer = setTimeout(() => {
    timer = null;
    if (isIdle()) collector()?.();
  }, delayMs);
  timer.unref();
}
