// account/* requests and notifications: the OpenAI API key Keel can hold, signed in over the wire.
import { clientRequest, serverNotification } from '../method-spec.js';
import * as A from '../schemas/account-methods.js';
import * as U from '../schemas/account-usage-methods.js';

export const accountMethods = {
  'account/read': clientRequest({
    typeName: 'GetAccount',
    stability: 'stable',
    summary: 'The account: an OpenAI API key when Keel has one (stored or from OPENAI_API_KEY), else none; never a ChatGPT account.',
    params: A.GetAccountParams,
    result: A.GetAccountResponse,
    codexResult: 'v2/GetAccountResponse',
  }),
  'account/login/start': clientRequest({
    typeName: 'LoginAccount',
    stability: 'stable',
    summary: 'Signs in with an OpenAI API key, stored in `$KEEL_HOME/auth.json` (0600); other login types are refused, naming the alternatives.',
    params: A.LoginAccountParams,
    result: A.LoginAccountResponse,
    codexResult: 'v2/LoginAccountResponse',
  }),
  'account/login/cancel': clientRequest({
    typeName: 'CancelLoginAccount',
    stability: 'stable',
    summary: 'Cancels a pending login: always `notFound`, since an API-key login completes within its request.',
    params: A.CancelLoginAccountParams,
    result: A.CancelLoginAccountResponse,
    codexResult: 'v2/CancelLoginAccountResponse',
  }),
  'account/logout': clientRequest({
    typeName: 'LogoutAccount',
    stability: 'stable',
    summary: 'Removes the stored API key; `account/updated` follows.',
    params: A.LogoutAccountParams,
    result: A.LogoutAccountResponse,
    codexResult: 'v2/LogoutAccountResponse',
  }),
  'account/securitySetup/read': clientRequest({
    typeName: 'GetAccountSecuritySetup',
    stability: 'stable',
    summary: 'Account security reminders: none (there is no ChatGPT account).',
    params: A.GetAccountSecuritySetupParams,
    result: A.GetAccountSecuritySetupResponse,
    codexResult: 'v2/GetAccountSecuritySetupResponse',
  }),
  'account/gatewayOAuth/read': clientRequest({
    typeName: 'GatewayOAuthRead',
    stability: 'stable',
    summary: 'Gateway OAuth readiness of the default (or named) provider: never required, since no Keel provider uses gateway OAuth.',
    params: A.GatewayOAuthReadParams,
    result: A.GatewayOAuthReadResponse,
    codexResult: 'v2/GatewayOAuthReadResponse',
  }),
  'account/gatewayOAuth/cancel': clientRequest({
    typeName: 'GatewayOAuthCancel',
    stability: 'stable',
    summary: 'Cancels a gateway OAuth login: there is never one in progress, so nothing to do.',
    params: A.GatewayOAuthCancelParams,
    result: A.GatewayOAuthCancelResponse,
    codexResult: 'v2/GatewayOAuthCancelResponse',
  }),
  'account/rateLimits/read': clientRequest({
    typeName: 'GetAccountRateLimits',
    stability: 'stable',
    summary: "The rate limits providers last reported in their response headers: the latest, and each provider's by its id.",
    params: U.GetAccountRateLimitsParams,
    result: U.GetAccountRateLimitsResponse,
    codexResult: 'v2/GetAccountRateLimitsResponse',
  }),
  'account/usage/read': clientRequest({
    typeName: 'GetAccountTokenUsage',
    stability: 'stable',
    summary: "Token usage recorded in the store, per UTC day, with totals and streaks; with `threadId`, that thread's, per model with its list-price cost.",
    params: U.GetAccountTokenUsageParams,
    result: U.GetAccountTokenUsageResponse,
    codexResult: 'v2/GetAccountTokenUsageResponse',
  }),
  'account/login/completed': serverNotification({
    typeName: 'AccountLoginCompleted',
    stability: 'stable',
    summary: 'A login finished (after the `account/login/start` response).',
    params: A.AccountLoginCompletedNotification,
  }),
  'account/updated': serverNotification({
    typeName: 'AccountUpdated',
    stability: 'stable',
    summary: 'The account changed (login or logout): `authMode` is `apikey` or null.',
    params: A.AccountUpdatedNotification,
  }),
} as const;
