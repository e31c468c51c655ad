// Keel's own tools as a tool source: the toolset of the model's family (tools/registry.ts), the
// same in every turn. They take any call no other source claims (tool-source.ts), so a call to a
// tool nobody has is refused here, naming the tools the model does have.
import type { ToolRegistry } from '../../tools/registry.js';
import type { AnyCallTools, ToolSource } from './tool-source.js';

export function builtinToolSource(registry: ToolRegistry): ToolSource<AnyCallTools> {
  const tools: AnyCallTools = {
    list: ({ family, freeform }) => registry.definitions(family, freeform),
    resolve: (call, family) => ({ execute: (ctx) => registry.run(family, call, ctx), readOnly: registry.readOnly(family, call) }),
  };
  return { forTurn: () => tools };
}
