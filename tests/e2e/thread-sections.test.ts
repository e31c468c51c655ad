// Thread sections and attachments end to end (issue 25, "meta"): threadSection/* and
// thread/section/move with thread/section/changed, thread/list's sectionId filter, and
// thread/attachment/* with thread/attachment/updated and the owners of an attachment across threads.
import { describe, expect, it } from 'vitest';
import { errorOf, type KeelProcess } from '../helpers/keel-process.js';
import { FULL_ACCESS, keelWithThread, params, runTurn } from '../helpers/turns.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { responses as wire } from '../helpers/wire-streams.js';
import { workspace } from '../helpers/workspace.js';

type Json = Record<string, any>;

const fake = useFakeModelServer();

/** Keel with three threads, each with one turn (a thread without one is not listed, as in Codex). */
async function threeThreads(): Promise<{ keel: KeelProcess; ids: string[] }> {
  const cwd = workspace();
  fake.script(wire.route, [0, 1, 2].map((n) => ({ sse: wire.stream([wire.message(`answer ${n}`)]) })));
  const config = ['model_provider = "fake"', 'model = "gpt-5.1-codex"', '[model_providers.fake]', 'name = "Fake"', `base_url = "${fake.url}/v1"`, 'env_key = "FAKE_API_KEY"', 'wire_api = "responses"'];
  const { keel, threadId } = await keelWithThread({ config, thread: { ...FULL_ACCESS, cwd }, spawn: { cwd, env: { FAKE_API_KEY: 'test-key' } } });
  const ids = [threadId];
  for (let i = 0; i < 2; i++) ids.push((await keel.request('thread/start', { ...FULL_ACCESS, cwd })).thread.id);
  for (const id of ids) await runTurn(keel, id, 'hello');
  return { keel, ids };
}

const listedIn = async (keel: KeelProcess, sectionId: string) => (await keel.request('thread/list', { sectionId, sortKey: 'created_at', sortDirection: 'asc' })).data.map((t: Json) => t.id);

/** Every notification of `method` since message `from`, params only. */
const heard = (keel: KeelProcess, method: string, from: number) => keel.messages.slice(from).filter((m) => m.method === method).map(params);

describe('thread sections', () => {
  it('creates, pages, updates and deletes sections; moves threads in, within and out; thread/list filters by section', async () => {
    const { keel, ids } = await threeThreads();
    const [t1, t2, t3] = ids as [string, string, string];
    const work = (await keel.request('threadSection/create', { name: 'Work', appearance: { color: 'blue', icon: 'briefcase' } })).section;
    expect(work).toEqual({ id: expect.any(String), name: 'Work', appearance: { color: 'blue', icon: 'briefcase' } });
    const later = (await keel.request('threadSection/create', { name: 'Later' })).section;
    expect(later).toEqual({ id: expect.any(String), name: 'Later', appearance: null });

    const first = await keel.request('threadSection/list', { limit: 1 });
    expect(first).toEqual({ data: [work], nextCursor: expect.any(String) });
    expect(await keel.request('threadSection/list', { cursor: first.nextCursor })).toEqual({ data: [later], nextCursor: null });

    // Renamed, appearance kept (absent), then cleared (null).
    expect(await keel.request('threadSection/update', { sectionId: work.id, name: 'Job' })).toEqual({ section: { ...work, name: 'Job' } });
    expect(await keel.request('threadSection/update', { sectionId: later.id, name: 'Someday', appearance: null })).toEqual({ section: { id: later.id, name: 'Someday', appearance: null } });

    const from = keel.messages.length;
    expect(await keel.request('thread/section/move', { threadId: t1, sectionId: work.id })).toEqual({});
    await keel.request('thread/section/move', { threadId: t2, sectionId: work.id });
    await keel.request('thread/section/move', { threadId: t3, sectionId: work.id, beforeThreadId: t1 });
    expect(await listedIn(keel, work.id)).toEqual([t1, t2, t3]);
    await keel.request('thread/section/move', { threadId: t2, sectionId: later.id });
    expect(await listedIn(keel, work.id)).toEqual([t1, t3]);
    expect(await listedIn(keel, later.id)).toEqual([t2]);
    await keel.request('thread/section/move', { threadId: t1, sectionId: null });
    await keel.waitFor((m) => m.method === 'thread/section/changed' && (m.params as Json).threadId === t1 && (m.params as Json).sectionId === null);
    expect(heard(keel, 'thread/section/changed', from)).toEqual([
      { threadId: t1, sectionId: work.id },
      { threadId: t2, sectionId: work.id },
      { threadId: t3, sectionId: work.id },
      { threadId: t2, sectionId: later.id },
      { threadId: t1, sectionId: null },
    ]);
    expect(await listedIn(keel, work.id)).toEqual([t3]);

    expect(await errorOf(keel.request('thread/section/move', { threadId: t1, sectionId: 'no-such-section' }))).toMatchObject({ message: 'thread section not found: no-such-section' });
    expect(await errorOf(keel.request('thread/section/move', { threadId: t1, sectionId: later.id, beforeThreadId: t3 }))).toMatchObject({
      code: -32602,
      message: `Invalid params: beforeThreadId: thread ${t3} is not in section ${later.id}`,
    });
    expect(await errorOf(keel.request('thread/section/move', { threadId: 'nope', sectionId: null }))).toMatchObject({ message: 'thread not found: nope' });

    // Deleting a section lets its threads go: each is announced out of it.
    const beforeDelete = keel.messages.length;
    expect(await keel.request('threadSection/delete', { sectionId: work.id })).toEqual({});
    await keel.waitFor((m) => m.method === 'thread/section/changed' && (m.params as Json).threadId === t3 && (m.params as Json).sectionId === null);
    expect(heard(keel, 'thread/section/changed', beforeDelete)).toEqual([{ threadId: t3, sectionId: null }]);
    expect(await listedIn(keel, work.id)).toEqual([]);
    expect(await keel.request('threadSection/list', {})).toEqual({ data: [{ id: later.id, name: 'Someday', appearance: null }], nextCursor: null });
    expect(await errorOf(keel.request('threadSection/delete', { sectionId: work.id }))).toMatchObject({ message: `thread section not found: ${work.id}` });
  });
});

describe('thread attachments', () => {
  it('adds (created, then existing), lists, removes, and finds the owners of an attachment across threads', async () => {
    const { keel, ids } = await threeThreads();
    const [t1, t2, t3] = ids as [string, string, string];
    const from = keel.messages.length;
    const key = { attachmentType: 'pullRequest', identityKey: 'github.com/acme/app#7' };
    const added = await keel.request('thread/attachment/add', { threadId: t1, ...key, payload: { title: 'Fix it', draft: false } });
    const attachment = { id: expect.any(String), ...key, payload: { title: 'Fix it', draft: false }, createdAt: expect.any(Number) };
    expect(added).toEqual({ outcome: 'created', attachment });
    // The same type and key again: the one there, unchanged.
    expect(await keel.request('thread/attachment/add', { threadId: t1, ...key, payload: { title: 'Other' } })).toEqual({ outcome: 'existing', attachment: added.attachment });
    const onT2 = await keel.request('thread/attachment/add', { threadId: t2, ...key, payload: null });
    const note = await keel.request('thread/attachment/add', { threadId: t1, attachmentType: 'note', identityKey: 'n1', payload: 'remember' });
    await keel.request('thread/attachment/add', { threadId: t3, attachmentType: 'note', identityKey: 'n1', payload: 'x' });

    const page = await keel.request('thread/attachment/list', { threadId: t1, limit: 1 });
    expect(page).toEqual({ data: [added.attachment], nextCursor: expect.any(String) });
    expect(await keel.request('thread/attachment/list', { threadId: t1, cursor: page.nextCursor })).toEqual({ data: [note.attachment], nextCursor: null });

    expect(await keel.request('thread/attachmentOwner/list', key)).toEqual({ data: [{ threadId: t1, archived: false }, { threadId: t2, archived: false }], nextCursor: null });
    await keel.request('thread/archive', { threadId: t2 });
    expect(await keel.request('thread/attachmentOwner/list', { ...key, archived: false })).toEqual({ data: [{ threadId: t1, archived: false }], nextCursor: null });
    expect(await keel.request('thread/attachmentOwner/list', { ...key, archived: true })).toEqual({ data: [{ threadId: t2, archived: true }], nextCursor: null });
    const owners = await keel.request('thread/attachmentOwner/list', { ...key, limit: 1 });
    expect(owners).toEqual({ data: [{ threadId: t1, archived: false }], nextCursor: expect.any(String) });
    expect(await keel.request('thread/attachmentOwner/list', { ...key, limit: 1, cursor: owners.nextCursor })).toEqual({ data: [{ threadId: t2, archived: true }], nextCursor: null });

    expect(await keel.request('thread/attachment/remove', { threadId: t1, ...key })).toEqual({});
    await keel.waitFor((m) => m.method === 'thread/attachment/updated' && (m.params as Json).operation === 'deleted');
    expect(heard(keel, 'thread/attachment/updated', from)).toEqual([
      { threadId: t1, ...key, attachmentId: added.attachment.id, operation: 'created' },
      { threadId: t2, ...key, attachmentId: onT2.attachment.id, operation: 'created' },
      { threadId: t1, attachmentType: 'note', identityKey: 'n1', attachmentId: note.attachment.id, operation: 'created' },
      { threadId: t3, attachmentType: 'note', identityKey: 'n1', attachmentId: expect.any(String), operation: 'created' },
      { threadId: t1, ...key, attachmentId: added.attachment.id, operation: 'deleted' },
    ]);
    expect(await keel.request('thread/attachmentOwner/list', key)).toEqual({ data: [{ threadId: t2, archived: true }], nextCursor: null });
    expect(await errorOf(keel.request('thread/attachment/remove', { threadId: t1, ...key }))).toMatchObject({
      message: `thread ${t1} has no attachment of type "pullRequest" with identity key "github.com/acme/app#7"`,
    });
    expect(await errorOf(keel.request('thread/attachment/add', { threadId: 'nope', ...key, payload: 1 }))).toMatchObject({ message: 'thread not found: nope' });

    // A deleted thread's attachments and place in a section go with it.
    const section = (await keel.request('threadSection/create', { name: 'S' })).section;
    await keel.request('thread/section/move', { threadId: t3, sectionId: section.id });
    await keel.request('thread/delete', { threadId: t3 });
    expect(await keel.request('thread/attachmentOwner/list', { attachmentType: 'note', identityKey: 'n1' })).toEqual({ data: [{ threadId: t1, archived: false }], nextCursor: null });
    const beforeDelete = keel.messages.length;
    await keel.request('threadSection/delete', { sectionId: section.id });
    // Anything the delete announced comes before the next answer on this connection.
    await keel.request('threadSection/list', {});
    expect(heard(keel, 'thread/section/changed', beforeDelete)).toEqual([]);
  });
});
