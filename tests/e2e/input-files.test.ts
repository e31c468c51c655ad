// A local image a client names can never hang or flood a turn: a FIFO named `.png` (which blocked
// the turn forever, past interrupt and the turn timeout), a symlink to /dev/zero (which grew memory
// without end), a file over the size cap and a missing file each become a note the model sees, and
// the turn ends; a real image, also through a symlink, is sent.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { INPUT_FILE_MAX_BYTES } from '../../src/tools/input-file.js';
import { conversationBody } from '../helpers/preamble.js';
import { keelWithThread, params } from '../helpers/turns.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { responses as wire } from '../helpers/wire-streams.js';

const fake = useFakeModelServer();

describe('local images as turn input', () => {
  it('refuses what is not a regular file, or too big, as a note to the model; reads a real one through a symlink', async () => {
    fake.script(wire.route, [{ sse: wire.stream([wire.message('seen')]) }]);
    const { keel, threadId } = await keelWithThread({ spawn: { env: { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: `${fake.url}/v1` } } });
    const dir = fs.mkdtempSync(path.join(keel.home, 'inputs-'));
    const fifo = path.join(dir, 'pipe.png');
    execFileSync('mkfifo', [fifo]);
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.png'));
    fs.writeFileSync(path.join(dir, 'big.png'), Buffer.alloc(INPUT_FILE_MAX_BYTES + 1));
    fs.writeFileSync(path.join(dir, 'real.png'), Buffer.from('89504e47', 'hex'));
    fs.symlinkSync(path.join(dir, 'real.png'), path.join(dir, 'link.png'));
    const images = ['pipe.png', 'zero.png', 'big.png', 'missing.png', 'link.png'].map((name) => ({ type: 'localImage' as const, path: path.join(dir, name) }));

    await keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'look' }, ...images] });
    const completed = await keel.waitFor('turn/completed', 10_000);
    expect(params(completed).turn.status).toBe('completed');
    expect(fs.existsSync(fifo)).toBe(true);
    const text = (t: string) => ({ type: 'input_text', text: t });
    expect(conversationBody(fake.calls[0]!).input).toEqual([
      {
        type: 'message',
        role: 'user',
        content: [
          text('look'),
          text(`[image ${path.join(dir, 'pipe.png')}: is not a regular file]`),
          text(`[image ${path.join(dir, 'zero.png')}: is not a regular file]`),
          text(`[image ${path.join(dir, 'big.png')}: is ${INPUT_FILE_MAX_BYTES + 1} bytes, over the ${INPUT_FILE_MAX_BYTES}-byte limit for input files]`),
          text(`[image ${path.join(dir, 'missing.png')}: could not be read: ENOENT]`),
          { type: 'input_image', image_url: 'data:image/png;base64,iVBORw==', detail: 'auto' },
        ],
      },
    ]);
  });
});
