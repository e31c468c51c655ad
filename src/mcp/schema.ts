// Tool input schemas as providers accept them. MCP servers send any JSON Schema; OpenAI and
// Anthropic both insist on a top-level `type: "object"` (Anthropic with `properties` present), and
// Anthropic rejects `oneOf`/`anyOf`/`allOf` at the top level ("input_schema does not support
// oneOf, allOf, or anyOf at the top level"); `$schema` is noise some validators refuse. Nested
// schemas are left as the server wrote them.

export type JsonSchemaObject = { type: 'object'; properties: Record<string, unknown>; [key: string]: unknown };

const DROPPED_AT_TOP_LEVEL = ['$schema', 'oneOf', 'anyOf', 'allOf'];

export function modelSchema(inputSchema: unknown): JsonSchemaObject {
  const source = isPlainObject(inputSchema) ? inputSchema : {};
  const schema: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (!DROPPED_AT_TOP_LEVEL.includes(key)) schema[key] = value;
  }
  const properties = isPlainObject(source.properties) ? source.properties : {};
  return { ...schema, type: 'object', properties };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
