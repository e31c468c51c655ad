import type { Handler } from '../dispatch.js';
import { userAgent } from './user-agent.js';

export interface ServerIdentity {
  version: string;
  home: string;
}

function platformOs(): string {
  if (process.platform === 'darwin') return 'macos';
  if (process.platform === 'win32') return 'windows';
  return process.platform;
}

/** `afterOpen` runs once the answer is written: the place to warm up what later requests need. */
export function initializeHandler(identity: ServerIdentity, afterOpen: () => void): Handler<'initialize'> {
  return (params, { session, afterResponse }) => {
    session.open(params);
    afterResponse(() => setImmediate(afterOpen));
    return {
      userAgent: userAgent(params.clientInfo, identity.version),
      codexHome: identity.home,
      platformFamily: process.platform === 'win32' ? 'windows' : 'unix',
      platformOs: platformOs(),
    };
  };
}
