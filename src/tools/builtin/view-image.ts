// `view_image`: the model asks to see an image file from the workspace. It is read as a turn input
// is (regular files only, size-capped) and given to the model with the call's result; clients get
// an `imageView` item. It passes the gate as every read does: Keel's home (auth.json) and its store
// are never shown, whatever path, link or /proc route names them.
import path from 'node:path';
import * as z from 'zod';
import { readInputFile } from '../input-file.js';
import type { Tool } from '../tool.js';

const ViewImageInput = z.object({ path: z.string().min(1).describe('Local filesystem path to an image file') });

export const viewImage: Tool<z.output<typeof ViewImageInput>> = {
  name: 'view_image',
  description: 'Attach a local image (by filesystem path) so that you can see it on your next step.',
  input: ViewImageInput,
  aliases: { file_path: 'path', image_path: 'path' },
  readOnly: true,
  async run(input, ctx) {
    const absolute = path.resolve(ctx.cwd, input.path);
    const item = { type: 'imageView' as const, id: ctx.callId, path: absolute };
    ctx.report.start(item);
    const decision = await ctx.gate.check({ kind: 'read', itemId: ctx.callId, paths: [absolute], cwd: ctx.cwd, announce: () => {} }, ctx.signal);
    if (!decision.allowed) return { item, output: `Error: the image ${absolute} cannot be viewed: ${decision.reason}` };
    const read = await readInputFile(absolute, ctx.signal, undefined, decision.hidden);
    // The bytes go to the model with the next request (tools/replay.ts reads the file again).
    const output = 'refused' in read ? `Error: the image ${absolute} ${read.refused}` : `Image attached: ${absolute}`;
    return { item, output };
  },
};
