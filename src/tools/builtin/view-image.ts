// `view_image`: the model asks to see an image file from the workspace. It is read as a turn input
// is (regular files only, size-capped) and given to the model with the call's result; clients get
// an `imageView` item.
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
  async run(input, ctx) {
    const absolute = path.resolve(ctx.cwd, input.path);
    const item = { type: 'imageView' as const, id: ctx.callId, path: absolute };
    ctx.report.start(item);
    const read = await readInputFile(absolute, ctx.signal);
    // The bytes go to the model with the next request (tools/replay.ts reads the file again).
    const output = 'refused' in read ? `Error: the image ${absolute} ${read.refused}` : `Image attached: ${absolute}`;
    return { item, output };
  },
};
