// account/* requests and notifications (Codex v2). Keel has no ChatGPT account: the one account it
// knows is an OpenAI API key (stored by `account/login/start {type: "apiKey"}` or set in
// OPENAI_API_KEY). Params mirror every variant Codex defines, so a client's request parses and
// gets a clear answer; results carry only what Keel can truthfully send.
import * as z from 'zod';
import { emptyObject } from './common.js';

export const GetAccountParams = z.object({ refreshToken: z.boolean().optional() });

export const ApiKeyAccount = z.object({ type: z.literal('apiKey') });

export const GetAccountResponse = z.object({
  account: ApiKeyAccount.nullable().describe('The OpenAI API key account when Keel has a key for its openai provider; null otherwise (Keel has no ChatGPT account).'),
  userId: z.null().describe('Always null: there is no ChatGPT user.'),
  requiresOpenaiAuth: z.boolean().describe("Whether Keel's default provider is OpenAI's, which authenticates with an OpenAI API key."),
});

const LoginAppBrand = z.enum(['codex', 'chatgpt']);

export const LoginAccountParams = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('apiKey'),
    apiKey: z.string(),
    modelProvider: z
      .string()
      .nullish()
      .describe("Keel extension: the provider whose key this is (an id of modelProvider/list); stored in auth.json under the variable it reads. Default `openai`."),
  }),
  z.object({
    type: z.literal('chatgpt'),
    codexStreamlinedLogin: z.boolean().optional(),
    useHostedLoginSuccessPage: z.boolean().optional(),
    appBrand: LoginAppBrand.nullish(),
  }),
  z.object({ type: z.literal('chatgptDeviceCode') }),
  z.object({ type: z.literal('chatgptAuthTokens'), accessToken: z.string(), chatgptAccountId: z.string(), chatgptPlanType: z.string().nullish() }),
  z.object({ type: z.literal('amazonBedrock'), apiKey: z.string(), region: z.string() }),
  z.object({
    type: z.literal('amazonBedrockAccessKeys'),
    accessKeyId: z.string(),
    secretAccessKey: z.string(),
    sessionToken: z.string().nullish(),
    region: z.string(),
  }),
]);

export const LoginAccountResponse = z.object({ type: z.literal('apiKey') }).describe('Keel completes only API-key logins, synchronously.');

export const CancelLoginAccountParams = z.object({ loginId: z.string() });
export const CancelLoginAccountResponse = z.object({
  status: z.literal('notFound').describe('Keel never has a login in progress: an API-key login completes within its request.'),
});

export const LogoutAccountParams = emptyObject();
export const LogoutAccountResponse = emptyObject();

export const GetAccountSecuritySetupParams = emptyObject();
export const GetAccountSecuritySetupResponse = z.object({ notice: z.null().describe('Always null: there is no ChatGPT account to secure.') });

export const GatewayOAuthReadParams = z.object({ modelProvider: z.string().nullish() });
export const GatewayOAuthReadResponse = z.object({
  providerId: z.string(),
  providerName: z.string(),
  required: z.literal(false).describe('No Keel provider uses gateway OAuth.'),
  supportsDeviceAuth: z.literal(false),
  status: z.null(),
  error: z.null(),
});

export const GatewayOAuthCancelParams = emptyObject();
export const GatewayOAuthCancelResponse = emptyObject();

export const AccountLoginCompletedNotification = z.object({
  loginId: z.null().describe('API-key logins have no login id.'),
  success: z.boolean(),
  error: z.string().nullable(),
  onboardingEntrypoint: z.null(),
});

export const AccountUpdatedNotification = z.object({
  authMode: z.literal('apikey').nullable().describe('`apikey` while Keel has an OpenAI API key, else null.'),
  planType: z.null(),
});
