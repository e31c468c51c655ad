import type { ClientRequestMethod } from '../../../protocol/method-table.js';

/** The requests served by the thread subsystem (threads and their turns), loaded after `initialize`. */
export type ThreadMethod = Extract<ClientRequestMethod, `thread/${string}` | `turn/${string}`>;

export const isThreadMethod = (method: string): boolean => method.startsWith('thread/') || method.startsWith('turn/');
