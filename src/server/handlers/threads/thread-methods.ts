import type { ClientRequestMethod } from '../../../protocol/method-table.js';

export type ThreadMethod = Extract<ClientRequestMethod, `thread/${string}`>;
