// One fake model server per test: started before it, and after it checked that every scripted
// response was asked for (and nothing else), then closed. Returns a stand-in that always refers
// to the current test's server.
import { afterEach, beforeEach } from 'vitest';
import { startFakeModelServer, type FakeModelServer } from './fake-model-server.js';

export function useFakeModelServer(): FakeModelServer {
  let current: FakeModelServer | undefined;
  beforeEach(async () => {
    current = await startFakeModelServer();
  });
  afterEach(async () => {
    try {
      current?.assertDone();
    } finally {
      await current?.close();
      current = undefined;
    }
  });
  return new Proxy({} as FakeModelServer, {
    get: (_target, key) => {
      if (current === undefined) throw new Error('the fake model server runs only inside a test');
      return Reflect.get(current, key);
    },
  });
}
