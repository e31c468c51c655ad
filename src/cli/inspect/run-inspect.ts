// `keel inspect`: starts (or finds) the app-server, serves the page on 127.0.0.1 and prints its
// address with the one-time token. Runs until SIGINT/SIGTERM; then stops the Keel it started.
import path from 'node:path';
import type { InspectOptions } from '../inspect-command-line.js';
import { startOwnKeel, type OwnKeel } from './own-keel.js';
import { startPageServer } from './page-server.js';
import { describeUpstream, openUpstream, readToken, type UpstreamAddress } from './upstream.js';

export async function runInspect(options: InspectOptions): Promise<number> {
  let own: OwnKeel | null = null;
  let address: UpstreamAddress;
  try {
    if (options.target.kind === 'own') {
      own = await startOwnKeel(path.resolve(process.argv[1] ?? ''), options.target.config);
      address = { kind: 'ws', url: own.url, token: own.token };
    } else if (options.target.kind === 'ws') address = { kind: 'ws', url: options.target.url, token: options.target.tokenFile === null ? null : readToken(options.target.tokenFile) };
    else address = { kind: 'unix', path: options.target.path };
  } catch (error) {
    process.stderr.write(`keel inspect: ${(error as Error).message}\n`);
    return 1;
  }
  const target = address;
  let page;
  try {
    page = await startPageServer({
      // The lazy bundle sits in dist/, the page in dist/inspector/.
      pageDir: path.join(__dirname, 'inspector'),
      port: options.port,
      openUpstream: () => openUpstream(target),
      onUpstreamError: (error) => process.stderr.write(`keel inspect: ${describeUpstream(target)}: ${error.message}\n`),
    });
  } catch (error) {
    process.stderr.write(`keel inspect: ${(error as Error).message}\n`);
    await own?.stop();
    return 1;
  }
  process.stdout.write(`Keel Inspector for ${own ? `a Keel of its own (${describeUpstream(target)})` : describeUpstream(target)}\nopen ${page.url}\n`);
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    own?.child.once('exit', resolve);
  });
  await stopped;
  await page.close();
  await own?.stop();
  return 0;
}
