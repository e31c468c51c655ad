// An ACP prompt as Keel's turn input: text as text; an image as a data URL (Keel's image input);
// a resource link as a mention of its file (a file:// URI) or its name and address in the text; an
// embedded resource's text inside a fenced block naming it (a binary one is named only). What Keel
// cannot give the model is refused (-32602 naming the block), never dropped: audio (no provider
// of Keel's takes it, so promptCapabilities.audio is false) and an image that is no image.
import { fileURLToPath } from 'node:url';
import type { UserInput } from '../../core/protocol-types.js';
import { DomainError } from '../../kernel/errors.js';
import type { AcpContentBlock } from './acp-params.js';

export function turnInput(prompt: readonly AcpContentBlock[]): UserInput[] {
  return prompt.flatMap((block, index): UserInput[] => {
    const field = `prompt[${index}]`;
    switch (block.type) {
      case 'text':
        return [text(block.text)];
      case 'image':
        if (!block.mimeType.startsWith('image/')) throw new DomainError('invalid', `an image's mimeType must be image/*, not ${block.mimeType}`, `${field}.mimeType`);
        return [{ type: 'image', url: `data:${block.mimeType};base64,${block.data}` }];
      case 'audio':
        throw new DomainError('invalid', 'audio is not supported (promptCapabilities.audio is false): no model provider of Keel\'s takes it', `${field}.type`);
      case 'resource_link':
        if (!block.uri.startsWith('file://')) return [text(`${block.title ?? block.name}: ${block.uri}`)];
        return [{ type: 'mention', name: block.name, path: filePath(block.uri, `${field}.uri`) }];
      case 'resource': {
        const { resource } = block;
        const content = resource.text;
        if (typeof content !== 'string') return [text(`(binary resource ${resource.uri}${resource.mimeType ? `, ${resource.mimeType}` : ''})`)];
        const fence = fenceFor(content);
        return [text(`${fence}${resource.uri}\n${content}\n${fence}`)];
      }
    }
  });
}

function text(value: string): UserInput {
  return { type: 'text', text: value, text_elements: [] };
}

function filePath(uri: string, field: string): string {
  try {
    return fileURLToPath(uri);
  } catch (error) {
    throw new DomainError('invalid', `not a file URI Keel can read: ${(error as Error).message}`, field);
  }
}

/** A fence longer than any run of backticks in the text, so the text cannot close it early. */
function fenceFor(content: string): string {
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(Math.max(3, longest + 1));
}
