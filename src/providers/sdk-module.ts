/**
 * The SDK's exports from a dynamic import. From source that is the module namespace; from the
 * bundle it is dist/vendor-*.cjs, a CommonJS file whose exports sit under `default`.
 */
export function sdkExports<T extends object>(loaded: T | { default: T }, probe: keyof T): T {
  return probe in loaded ? (loaded as T) : (loaded as { default: T }).default;
}
