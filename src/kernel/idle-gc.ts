// When Keel goes idle after work — no turn running anywhere — one full garbage collection hands
// back the memory a turn's stream churned through. Left alone, V8 keeps its grown heap for a long
// time after a burst of allocation, so an idle Keel would sit at its busiest size. The collection
// runs a moment after the last turn ends, off every request's path, and is skipped if work resumed.
//
// gc() is there when Node was started with --expose-gc, as the launcher's shebang (dist/keel.cjs)
// and the daemon's spawn do; without it nothing is collected. V8's flags are not flipped at run
// time: V8 documents that as unsupported once it has started, and a context made to fetch gc()
// costs memory of its own.

type Collect = () => void;

let timer: NodeJS.Timeout | null = null;

/** Collects `delayMs` from now if `isIdle()` still holds then; a later call replaces an earlier one. */
export function collectWhenIdle(isIdle: () => boolean, delayMs = 300): void {
  const collect = (globalThis as { gc?: Collect }).gc;
  if (typeof collect !== 'function') return;
  if (timer !== null) clearTimeout(timer);
  timer = setTimeout(() => {
    timer = null;
    if (isIdle()) collect();
  }, delayMs);
  timer.unref();
}
