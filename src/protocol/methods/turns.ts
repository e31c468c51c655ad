// turn/* requests and the account-level notifications a turn can cause.
import { clientRequest, serverNotification } from '../method-spec.js';
import * as z from 'zod';
import { AccountRateLimitsUpdatedNotification } from '../schemas/account.js';
import * as T from '../schemas/turn-methods.js';

export const turnMethods = {
  'turn/start': clientRequest({
    typeName: 'TurnStart',
    stability: 'stable',
    summary: 'Starts a turn on a thread: the input goes to the model with the thread history; answers at once with the turn in progress.',
    experimentalFields: ['collaborationMode'],
    params: T.TurnStartParams,
    result: T.TurnStartResponse,
    codexResult: 'v2/TurnStartResponse',
  }),
  'review/start': clientRequest({
    typeName: 'ReviewStart',
    stability: 'stable',
    summary: 'Reviews a change (uncommitted changes, a base branch, a commit, or custom instructions) in a turn of the thread: read-only tools, findings as the final message and in exitedReviewMode.',
    params: T.ReviewStartParams,
    result: T.ReviewStartResponse,
    codexResult: 'v2/ReviewStartResponse',
  }),
  'turn/steer': clientRequest({
    typeName: 'TurnSteer',
    stability: 'stable',
    summary: 'Adds input to the running turn; the model call in flight is abandoned and the model called again with it.',
    params: T.TurnSteerParams,
    result: T.TurnSteerResponse,
    codexResult: 'v2/TurnSteerResponse',
  }),
  'turn/interrupt': clientRequest({
    typeName: 'TurnInterrupt',
    stability: 'stable',
    summary: 'Stops the running turn; it ends with turn/completed {status: "interrupted"}.',
    params: T.TurnInterruptParams,
    result: T.TurnInterruptResponse,
    codexResult: 'v2/TurnInterruptResponse',
  }),
  'account/rateLimits/updated': serverNotification({
    typeName: 'AccountRateLimitsUpdated',
    stability: 'stable',
    summary: "Rate-limit usage read from a provider's response headers (`limitId`: the provider); account/rateLimits/read answers the same.",
    params: AccountRateLimitsUpdatedNotification,
  }),
  warning: serverNotification({
    typeName: 'Warning',
    stability: 'stable',
    summary: 'Something the user should know that is not an error of a request (e.g. a turn moved to a fallback provider).',
    params: z.object({ threadId: z.string().nullable(), message: z.string() }),
  }),
} as const;
