// What Keel reads of each ACP request it serves, checked with zod: a wrong type is -32602 naming
// the field; fields Keel does not read (newer ACP versions', `_meta`) are ignored.
// The namespace import, as everywhere in Keel: `import { z }` pulls all of zod into the bundle.
import * as z from 'zod';
import { AcpMcpServer } from './acp-mcp.js';

/** What the editor lends (its files, its terminal, its forms): Keel uses it for the tools and questions of the sessions it hosts (acp-workspace.ts, acp-elicitation.ts). */
const ClientCapabilities = z.looseObject({
  fs: z.looseObject({ readTextFile: z.boolean().optional(), writeTextFile: z.boolean().optional() }).optional(),
  terminal: z.boolean().optional(),
  // What the editor shows of a session beyond the conversation: compaction updates, notices ({} each; omitted or null: not shown).
  session: z.looseObject({ compaction: z.looseObject({}).nullish(), notices: z.looseObject({}).nullish() }).nullish(),
  // How the editor lets Keel ask the user (acp-elicitation.ts); `{}` offers a mode. A malformed value
  // offers nothing, as the schema has it (x-deserialize-default-on-error), rather than refusing initialize.
  elicitation: z.looseObject({ form: z.looseObject({}).nullish(), url: z.looseObject({}).nullish() }).nullish().catch(null),
});
export type AcpClientCapabilities = z.output<typeof ClientCapabilities>;
export const InitializeParams = z.looseObject({ protocolVersion: z.number().int().nonnegative(), clientCapabilities: ClientCapabilities.optional() });
export const AuthenticateParams = z.looseObject({ methodId: z.string() });
export const NewSessionParams = z.looseObject({ cwd: z.string(), mcpServers: z.array(AcpMcpServer).optional() });
export const LoadSessionParams = z.looseObject({ sessionId: z.string(), cwd: z.string(), mcpServers: z.array(AcpMcpServer).optional() });
/** session/resume: session/load's params; `additionalDirectories` is not read (Keel does not advertise it). */
export const ResumeSessionParams = LoadSessionParams;
export const CloseSessionParams = z.looseObject({ sessionId: z.string() });
export const DeleteSessionParams = z.looseObject({ sessionId: z.string() });
export const LogoutParams = z.looseObject({});
export const ListSessionsParams = z.looseObject({ cwd: z.string().nullish(), cursor: z.string().nullish() });

const ContentBlock = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text'), text: z.string() }),
  z.looseObject({ type: z.literal('image'), data: z.string(), mimeType: z.string(), uri: z.string().nullish() }),
  z.looseObject({ type: z.literal('audio'), data: z.string(), mimeType: z.string() }),
  z.looseObject({ type: z.literal('resource_link'), uri: z.string(), name: z.string(), title: z.string().nullish(), mimeType: z.string().nullish() }),
  z.looseObject({
    type: z.literal('resource'),
    resource: z.union([z.looseObject({ uri: z.string(), text: z.string(), mimeType: z.string().nullish() }), z.looseObject({ uri: z.string(), blob: z.string(), mimeType: z.string().nullish() })]),
  }),
]);
export type AcpContentBlock = z.output<typeof ContentBlock>;

export const PromptParams = z.looseObject({ sessionId: z.string(), prompt: z.array(ContentBlock) });
export const CancelParams = z.looseObject({ sessionId: z.string() });
