// Codex methods that only make sense against OpenAI's ChatGPT cloud (or a part of Codex Keel has
// no counterpart for), each with why. Dispatch answers them -32601 "<method> is not available in
// Keel: <why>" instead of the bare "not supported", so a client can tell "never here" from "not
// yet". app-server.md lists the same table (tests/e2e/not-available.test.ts checks both).
const PLUGINS = 'plugins and their marketplaces are ChatGPT-cloud only; Keel has no plugin registry (plugin/list answers empty)';
const SHARING = 'plugin sharing goes through ChatGPT workspaces, which Keel does not have';
const CREDITS = 'credits and their reset are a ChatGPT plan feature; Keel bills nothing (account/usage/read reports the tokens it recorded)';

export const notInKeel: Readonly<Record<string, string>> = {
  'marketplace/add': PLUGINS,
  'marketplace/remove': PLUGINS,
  'plugin/install': PLUGINS,
  'plugin/uninstall': PLUGINS,
  'plugin/read': PLUGINS,
  'plugin/skill/read': `${PLUGINS}; skills Keel finds are read with skills/list`,
  'plugin/share/save': SHARING,
  'plugin/share/updateTargets': SHARING,
  'plugin/share/list': SHARING,
  'plugin/share/checkout': SHARING,
  'plugin/share/delete': SHARING,
  'app/read': 'ChatGPT apps (connectors) are ChatGPT-cloud only; app/list answers empty',
  'account/rateLimitResetCredit/consume': CREDITS,
  'account/sendAddCreditsNudgeEmail': CREDITS,
  'account/workspaceMessages/read': 'workspace messages come from a ChatGPT workspace admin; Keel has no ChatGPT account',
  'account/gatewayOAuth/login':
    'no Keel provider signs in with gateway OAuth; store a provider key with account/login/start {"type": "apiKey", "apiKey": "…", "modelProvider": "<id>"}',
  'windowsSandbox/setupStart': 'Keel sandboxes commands with bubblewrap on Linux; it has no Windows sandbox to set up (windowsSandbox/readiness answers notConfigured)',
  'thread/approveGuardianDeniedAction': 'Keel has no guardian reviewer; approvals go to the client (item/*/requestApproval)',
};

export function notInKeelReason(method: string): string | undefined {
  return Object.hasOwn(notInKeel, method) ? notInKeel[method] : undefined;
}
