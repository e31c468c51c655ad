// The tools each model family sees, and the one way a call is run: arguments parsed and checked
// before anything runs (a bad call goes back to the model as an error it can fix, naming the
// fields), what real models send normalised first (call-arguments.ts: JSON inside JSON, one level
// too deep, other spellings of fields), the tool run, and exactly one item completed for the call
// whatever happens.
import * as z from 'zod';
import type { ThreadItem } from '../core/protocol-types.js';
import type { ToolDefinition } from '../providers/types.js';
import { normaliseArguments, schemaFields } from './call-arguments.js';
import type { Tool, ToolCall, ToolContext, ToolFamily, ToolResult } from './tool.js';

export type Toolsets = Readonly<Record<ToolFamily, readonly Tool[]>>;

export class ToolRegistry {
  private readonly definitionsByFamily = new Map<string, ToolDefinition[]>();

  constructor(private readonly toolsets: Toolsets) {}

  /**
   * What the model is offered (built once: the schemas do not change); `freeform` when the model
   * takes freeform tools (apply_patch is then raw patch text).
   */
  definitions(family: ToolFamily, freeform = false): ToolDefinition[] {
    const key = `${family}:${freeform}`;
    let definitions = this.definitionsByFamily.get(key);
    if (definitions === undefined) {
      definitions = this.toolsets[family].map((tool) => definitionOf(tool, freeform));
      this.definitionsByFamily.set(key, definitions);
    }
    return definitions;
  }

  /**
   * Whether the call only reads, as its tool says of its input (Tool.readOnly): such calls of one
   * response may run side by side. An unknown tool or arguments that do not parse: no.
   */
  readOnly(family: ToolFamily, call: ToolCall): boolean {
    const tool = this.toolsets[family].find((candidate) => candidate.name === call.name);
    if (tool?.readOnly === undefined) return false;
    if (tool.readOnly === true) return true;
    const parsed = parseInput(tool, call);
    return parsed.ok && tool.readOnly(parsed.input);
  }

  /**
   * Runs one call. `started` says whether the tool announced its item (ctx.report.start); when it
   * did not (an unknown tool, arguments that do not parse), the returned item is the whole story.
   */
  async run(family: ToolFamily, call: ToolCall, ctx: ToolContext): Promise<ToolResult> {
    const tool = this.toolsets[family].find((candidate) => candidate.name === call.name);
    if (tool === undefined) {
      const names = this.toolsets[family].map((t) => t.name).join(', ');
      return refused(call, `unknown tool: ${call.name}. The tools you have are: ${names}.`);
    }
    const parsed = parseInput(tool, call);
    if (!parsed.ok) return refused(call, parsed.error);
    return tool.run(parsed.input, ctx);
  }
}

function definitionOf(tool: Tool, freeform: boolean): ToolDefinition {
  const { $schema: _schema, ...parameters } = z.toJSONSchema(tool.input, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    name: tool.name,
    description: tool.description,
    parameters,
    ...(tool.anthropicType ? { anthropicType: tool.anthropicType } : {}),
    ...(tool.freeform && { freeform: { field: tool.freeform.field, grammar: freeform ? { syntax: 'lark' as const, definition: tool.freeform.grammar } : null } }),
  };
}

function parseInput(tool: Tool, call: ToolCall): { ok: true; input: unknown } | { ok: false; error: string } {
  const raw = rawInput(tool, call);
  if (!raw.ok) return raw;
  const result = tool.input.safeParse(normaliseArguments(raw.input, { fields: fieldsOf(tool), aliases: tool.aliases }));
  if (result.success) return { ok: true, input: result.data };
  const problems = result.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(arguments)'}: ${issue.message}`);
  return { ok: false, error: `invalid arguments for ${tool.name}: ${problems.join('; ')}. Fix them and call ${tool.name} again.` };
}

/** The arguments as an object: JSON parsed, or a freeform call's text as the field it stands for. */
function rawInput(tool: Tool, call: ToolCall): { ok: true; input: unknown } | { ok: false; error: string } {
  if (call.freeform) {
    if (tool.freeform === undefined) return { ok: false, error: `${tool.name} takes JSON arguments, not raw text; send a JSON object.` };
    return { ok: true, input: { [tool.freeform.field]: call.arguments } };
  }
  try {
    return { ok: true, input: call.arguments.trim() === '' ? {} : JSON.parse(call.arguments) };
  } catch (error) {
    return { ok: false, error: `the arguments of ${tool.name} are not valid JSON (${(error as Error).message}); send a JSON object.` };
  }
}

const fieldsByTool = new WeakMap<Tool, ReadonlySet<string>>();

/** The tool's own field names, from its input schema (read once). */
function fieldsOf(tool: Tool): ReadonlySet<string> {
  let fields = fieldsByTool.get(tool);
  if (fields === undefined) {
    fields = schemaFields(z.toJSONSchema(tool.input, { io: 'input', unrepresentable: 'any' }));
    fieldsByTool.set(tool, fields);
  }
  return fields;
}

/** A call that could not run: a failed tool item on the wire, and the reason for the model. */
function refused(call: ToolCall, reason: string): ToolResult {
  const item: ThreadItem = {
    type: 'dynamicToolCall',
    id: call.callId,
    tool: call.name,
    arguments: argumentsForItem(call.arguments),
    status: 'failed',
    contentItems: [{ type: 'inputText', text: reason }],
    success: false,
    durationMs: 0,
  };
  return { item, output: `Error: ${reason}` };
}

function argumentsForItem(raw: string): never {
  try {
    return JSON.parse(raw === '' ? '{}' : raw) as never;
  } catch {
    return raw as never;
  }
}
