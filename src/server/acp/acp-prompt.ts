// An ACP prompt as Keel's turn input: text as text; an image as a data URL; a resource link as a
// mention of its file (a file:// URI) or its address in the text; an embedded resource's text
// inside a fenced block naming it (a binary one is named only).
import type { UserInput } from '../../core/protocol-types.js';
import type { AcpContentBlock } from './acp-params.js';

export function turnInput(prompt: readonly AcpContentBlock[]): UserInput[] {
  return prompt.flatMap((block): UserInput[] => {
    switch (block.type) {
      case 'text':
        return [{ type: 'text', text: block.text, text_elements: [] }];
      case 'image':
        return [{ type: 'image', url: `data:${block.mimeType};base64,${block.data}` }];
      case 'audio':
        return [{ type: 'audio', url: `data:${block.mimeType};base64,${block.data}` }];
      case 'resource_link':
        return block.uri.startsWith('file://') ? [{ type: 'mention', name: block.name, path: decodeURIComponent(new URL(block.uri).pathname) }] : [{ type: 'text', text: `${block.name}: ${block.uri}`, text_elements: [] }];
      case 'resource': {
        const { resource } = block;
        const text = 'text' in resource ? `\`\`\`${resource.uri}\n${resource.text}\n\`\`\`` : `(binary resource ${resource.uri}${resource.mimeType ? `, ${resource.mimeType}` : ''})`;
        return [{ type: 'text', text, text_elements: [] }];
      }
    }
  });
}
