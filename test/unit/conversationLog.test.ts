// The conversation file as an append-only log (src/core/conversations/conversationLog.ts): a save writes what
// changed, so the bytes written grow with the conversation, not its square; old single-object files load and are
// rewritten in the new format at their next save; a record cut by a crash is ignored; damage is set aside. Work is
// counted (bytes told by the store's `written` hook), never timed.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, promises as fs, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { serializeConversation, type Conversation } from '../../src/core/conversations/codec';
import { applyRecord, parseConversationLog } from '../../src/core/conversations/conversationLog';
import { ConversationStore, type ConversationStoreDeps } from '../../src/core/conversations/store';
import { silentLogger } from '../../src/core/ports';
import type { ChatMessage } from '../../src/shared/conversation';
import { FakeClock } from '../support/fakeClock';

let root: string;
let clock: FakeClock;
let seq = 0;
const fileOf = (id: string) => path.join(root, 'conversations', `${id}.json`);

/** A store whose writes are counted: conversation bytes and index bytes apart. */
function open(extra: Partial<ConversationStoreDeps> = {}) {
  const count = { conversation: 0, index: 0, indexWrites: 0 };
  const store = new ConversationStore({
    root,
    logger: silentLogger,
    clock,
    newId: (p) => `${p}${++seq}`,
    debounceMs: 10_000,
    indexDeferMs: 3_600_000, // deferred index entries wait for flush(): the count of index writes is exact
    written: (bytes, file) => {
      count[file] += bytes;
      if (file === 'index') count.indexWrites++;
    },
    ...extra,
  });
  return { store, count };
}

const text = (i: number) => `Message ${i}: ${'lorem ipsum dolor sit amet, αβγ ✓ '.repeat(4 + (i % 9))}`;
const user = (c: Conversation, i: number): ChatMessage => {
  const m: ChatMessage = { id: `m${i}`, role: 'user', content: text(i), createdAt: clock.now() };
  c.messages.push(m);
  return m;
};

/** A reply streamed in `chunks` pieces, every piece saved at once (the worst case: no debounce), then completed. */
async function streamReply(store: ConversationStore, c: Conversation, i: number, chunks: number): Promise<void> {
  const full = text(i);
  const m: ChatMessage = { id: `m${i}`, role: 'assistant', content: '', createdAt: clock.now(), status: 'streaming' };
  c.messages.push(m);
  for (let k = 1; k <= chunks; k++) {
    m.content = full.slice(0, Math.ceil((full.length * k) / chunks));
    clock.advance(10);
    await store.save(c);
  }
  m.status = 'complete';
  m.usage = { promptTokens: i, completionTokens: 40, totalTokens: i + 40 };
  await store.save(c);
}

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'tally-log-'));
  clock = new FakeClock();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('conversation log: bytes written grow with the conversation', () => {
  it('builds 2,000 messages writing ≤ 3× the final size; an append at 2,000 writes ≤ 2× one at 100', async (t) => {
    const { store, count } = open();
    const c = store.create();
    const perAppend = new Map<number, number>();
    for (let i = 0; i < 2000; i += 2) {
      const before = count.conversation;
      user(c, i).content = text(8); // questions of one size, so their appends compare
      await store.save(c);
      perAppend.set(i, count.conversation - before);
      // Every 10th reply streams in 5 chunks, each saved at once (the worst case: no debounce); the others land whole.
      await streamReply(store, c, i + 1, i % 20 === 0 ? 5 : 1);
    }
    await store.flush();
    const finalSize = Buffer.byteLength(serializeConversation(c), 'utf8');
    const written = count.conversation + count.index;
    const [at100, at2000] = [perAppend.get(100) ?? 0, perAppend.get(1998) ?? Infinity];
    t.diagnostic(
      `2,000 messages, ${finalSize} B: wrote ${written} B (${(written / finalSize).toFixed(2)}×), file ${(await fs.stat(fileOf(c.id))).size} B, ${count.indexWrites} index writes; an append wrote ${at100} B at 100 messages, ${at2000} B at 2,000`,
    );
    assert.ok(written <= 3 * finalSize, `wrote ${written} bytes for a ${finalSize}-byte conversation`);
    assert.ok(at100 > 0 && at2000 <= 2 * at100, `an append wrote ${at100} B at 100 messages, ${at2000} B at 2,000`);
    assert.ok(at2000 < Buffer.byteLength(JSON.stringify(c.messages[1998])) + 200, 'one message and a header');
    assert.equal(count.indexWrites, 2, 'the index is written for the new conversation and at flush, not per save');
    assert.deepEqual(await open().store.load(c.id), c);
  });

  it('compacts into a fresh snapshot when superseded records outweigh the conversation, and loads the latest', async () => {
    const { store } = open();
    const c = store.create();
    user(c, 0);
    const reply: ChatMessage = { id: 'm1', role: 'assistant', content: 'x', createdAt: 0, status: 'complete' };
    c.messages.push(reply);
    await store.save(c);
    for (let k = 0; k < 200; k++) {
      reply.content = `${k % 2 ? 'edited' : 'rewritten'} ${'answer '.repeat(60)} ${k}`; // replaced, not grown
      await store.save(c);
      const live = Buffer.byteLength(serializeConversation(c), 'utf8');
      const size = (await fs.stat(fileOf(c.id))).size;
      assert.ok(size <= 2 * live + 1000, `edit ${k}: a ${size}-byte file for a ${live}-byte conversation`);
    }
    assert.deepEqual(await open().store.load(c.id), c);
  });
});

describe('conversation log: reading', () => {
  it('loads an old single-object file, and its next save writes the log format', async () => {
    const { store } = open();
    const c = store.create();
    user(c, 0);
    await fs.mkdir(path.dirname(fileOf(c.id)), { recursive: true });
    await fs.writeFile(fileOf(c.id), serializeConversation(c)); // what Tally wrote before the log: no line break
    const fresh = open().store;
    const loaded = await fresh.load(c.id);
    assert.deepEqual(loaded, c);
    assert.ok(loaded);
    user(loaded, 1);
    await fresh.save(loaded);
    const migrated = await fs.readFile(fileOf(c.id), 'utf8');
    assert.equal(migrated.split('\n').length, 2, 'one snapshot line and its break');
    user(loaded, 2);
    await fresh.save(loaded);
    assert.equal((await fs.readFile(fileOf(c.id), 'utf8')).split('\n').length, 3, 'then a record appended');
    assert.deepEqual(await open().store.load(c.id), loaded);
  });

  it('ignores a last record cut by a crash, keeps the state before it, and rewrites the file at the next save', async () => {
    const { store } = open();
    const c = store.create();
    user(c, 0);
    await store.save(c);
    user(c, 1);
    await store.save(c);
    const before = structuredClone(c);
    await fs.appendFile(fileOf(c.id), '{"updatedAt":99,"from":2,"messages":[{"id":"m2","role":"us');
    const fresh = open().store;
    const loaded = await fresh.load(c.id);
    assert.deepEqual(loaded, before);
    assert.deepEqual(fresh.takeWarnings(), []);
    assert.ok(loaded);
    user(loaded, 2);
    await fresh.save(loaded);
    const lines = (await fs.readFile(fileOf(c.id), 'utf8')).split('\n');
    assert.equal(lines.length, 2, 'a fresh snapshot replaced the torn tail');
    assert.deepEqual(await open().store.load(c.id), loaded);
    assert.deepEqual(
      (await fs.readdir(path.dirname(fileOf(c.id)))).filter((n) => n.includes('corrupt')),
      [],
    );
  });

  it('sets aside a file with a damaged record before its last line, with one warning', async () => {
    const { store } = open();
    const c = store.create();
    user(c, 0);
    await store.save(c);
    await fs.appendFile(fileOf(c.id), '{"updatedAt":5,"from":1,"messa\n{"updatedAt":6}\n');
    const fresh = open().store;
    assert.equal(await fresh.load(c.id), undefined);
    assert.ok(!existsSync(fileOf(c.id)));
    const aside = (await fs.readdir(path.dirname(fileOf(c.id)))).filter((n) => n.startsWith(`${c.id}.json.corrupt-`));
    assert.equal(aside.length, 1);
    const warnings = fresh.takeWarnings();
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /set aside a damaged conversation file.*line 2 is not valid JSON/);
  });

  it('applies records idempotently, and skips (without damage) one naming a message that is not there', () => {
    const { store } = open();
    const c = store.create();
    user(c, 0);
    const snapshot = `${serializeConversation(c)}\n`;
    const grow = '{"updatedAt":7,"edit":0,"at":3,"text":"sage grown","set":{"model":"m"}}\n';
    const once = parseConversationLog(snapshot + grow, c.id);
    const twice = parseConversationLog(snapshot + grow + grow, c.id);
    assert.equal(once.kind, 'ok');
    assert.deepEqual(twice, once);
    assert.ok(once.kind === 'ok' && once.appendable);
    assert.equal(once.kind === 'ok' && once.conversation.messages[0].content, 'Message grown');
    const stale = parseConversationLog(`${snapshot}{"updatedAt":8,"from":5,"messages":[]}\n`, c.id);
    assert.ok(stale.kind === 'ok' && !stale.appendable && stale.conversation.updatedAt === c.updatedAt);
    assert.match(String(applyRecord(structuredClone(c), { updatedAt: 1, edit: 0, set: { role: 'robot' } })), /role/);
  });
});
