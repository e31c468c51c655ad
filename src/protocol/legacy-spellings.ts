// Spellings earlier Codex protocol documents used, still sent by older clients: accepted as
// aliases of today's values (Keel always sends today's). `on-failure` is gone from Codex's schema;
// Keel keeps it (see thread-model.ts), so only its camelCase spelling is an alias here.
const APPROVAL_POLICIES: Readonly<Record<string, string>> = {
  onRequest: 'on-request',
  unlessTrusted: 'untrusted',
  onFailure: 'on-failure',
};

const SANDBOX_MODES: Readonly<Record<string, string>> = {
  readOnly: 'read-only',
  workspaceWrite: 'workspace-write',
  dangerFullAccess: 'danger-full-access',
};

/** The params with old spellings of `approvalPolicy` and `sandbox` replaced (the object is copied only then). */
export function withTodaysSpellings(params: unknown): unknown {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return params;
  const { approvalPolicy, sandbox } = params as { approvalPolicy?: unknown; sandbox?: unknown };
  const policy = typeof approvalPolicy === 'string' ? APPROVAL_POLICIES[approvalPolicy] : undefined;
  const mode = typeof sandbox === 'string' ? SANDBOX_MODES[sandbox] : undefined;
  if (policy === undefined && mode === undefined) return params;
  return { ...params, ...(policy && { approvalPolicy: policy }), ...(mode && { sandbox: mode }) };
}
