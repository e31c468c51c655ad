// `keel threads` (the stored threads as a table) and `keel show THREAD_ID` (one thread as text),
// read through the app-server like any client: thread/list and thread/read.
import { failureText, startServer } from './server-process.js';
import { itemText } from './render.js';
import { EXIT_FAILED } from './run-exec.js';

function when(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('T', ' ').slice(0, 16);
}

/** A cost at list prices as people read it; `?` when a price is not known (never shown as $0). */
function costText(usd: number | null | undefined): string {
  if (usd == null) return '?';
  return `$${usd < 1 ? usd.toFixed(4) : usd.toFixed(2)}`;
}

function cell(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat.padEnd(width);
}

export async function runThreads(config: string[], limit: number, json: boolean): Promise<number> {
  const client = await startServer(config);
  try {
    const page = await client.request('thread/list', { limit, sortKey: 'updated_at' } as never);
    if (json) process.stdout.write(`${JSON.stringify(page)}\n`);
    else if (page.data.length === 0) process.stderr.write('no threads yet (keel exec "…" starts one)\n');
    else {
      // thread/list carries no cost (it reads the index, not the threads): one thread/read each.
      const costs = await Promise.all(page.data.map((t) => client.request('thread/read', { threadId: t.id } as never).then((read) => read.cost?.usd, () => null)));
      const rows = page.data.map((t, i) => [t.id, when(t.updatedAt), cell(t.model ?? '', 18), costText(costs[i]).padStart(9), cell(t.cwd, 28), cell(t.name ?? t.preview, 50)]);
      process.stdout.write(`${['ID'.padEnd(36), 'UPDATED (UTC)'.padEnd(16), 'MODEL'.padEnd(18), 'COST (USD)'.padStart(9), 'CWD'.padEnd(28), 'FIRST MESSAGE'].join('  ')}\n`);
      for (const row of rows) process.stdout.write(`${row.join('  ').trimEnd()}\n`);
    }
    return 0;
  } catch (error) {
    process.stderr.write(`keel threads: ${failureText(error)}\n`);
    return EXIT_FAILED;
  } finally {
    await client.close();
  }
}

export async function runShow(config: string[], threadId: string, json: boolean): Promise<number> {
  const client = await startServer(config);
  try {
    const read = await client.request('thread/read', { threadId, includeTurns: true, maxBytes: 64 * 1024 * 1024 } as never);
    if (json) {
      process.stdout.write(`${JSON.stringify(read)}\n`);
      return 0;
    }
    const { thread } = read;
    const cost = read.cost;
    const lines = [
      `thread ${thread.id}${thread.name ? ` — ${thread.name}` : ''}`,
      `  ${thread.modelProvider}/${thread.model ?? '?'} in ${thread.cwd}, created ${when(thread.createdAt)}, cost ${costText(cost?.usd)} at list prices`,
    ];
    thread.turns.forEach((turn, index) => {
      const took = turn.durationMs === null ? '' : `, ${(turn.durationMs / 1000).toFixed(1)} s`;
      const turnCost = cost?.turns.find((entry) => entry.turnId === turn.id);
      lines.push('', `── turn ${index + 1} (${turn.status}${took}, ${costText(turnCost?.usd)})`);
      for (const item of turn.items) {
        const text = itemText(item);
        if (text !== null) lines.push(text);
      }
      if (turn.error) lines.push(`! ${turn.error.message}`);
    });
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`keel show: ${failureText(error)}\n`);
    return EXIT_FAILED;
  } finally {
    await client.close();
  }
}
