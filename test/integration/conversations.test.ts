// Per-workspace conversations in the real extension host: files under the workspace's storage, a damaged file set
// aside while the rest load, Markdown export, switching, and undoable delete.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseConversationLog, snapshotLine } from '../../src/core/conversations/conversationLog';
import { OLDER_MESSAGES, OPENING_MESSAGES } from '../../src/core/conversations/messagePages';
import type { ChatMessage } from '../../src/shared/conversation';
import { FakeOpenAIServer } from '../support/fakeOpenAI';
import type { TallyTestApi } from '../../src/host/testApi';
import { useChatSuite, waitFor, type PostRecorder } from './helpers';

describe('conversations', () => {
  const suite = useChatSuite('sk-conversations-test-key', { model: 'gpt-4o-mini' });
  let server: FakeOpenAIServer;
  let api: TallyTestApi;
  let posts: PostRecorder;
  let dir: string;
  beforeEach(() => {
    ({ server, api, posts } = suite);
    dir = path.join(api.storageRoot, 'conversations');
  });

  async function ask(requestId: string, text: string): Promise<void> {
    await api.receive({ type: 'chat/send', requestId, text });
    await posts.next('chat/done', requestId);
  }

  it('keeps each conversation in its own file under the workspace storage, never in state', async () => {
    await ask('file1', 'Where do conversations live?');
    const id = api.currentConversationId();
    const file = path.join(dir, `${id}.json`);
    await waitFor('the conversation file', () => fs.existsSync(file));
    // The file is an append-only log: a full version-1 snapshot on its first line, then one record per save.
    const text = fs.readFileSync(file, 'utf8');
    assert.equal((JSON.parse(text.split('\n')[0]) as { version: number }).version, 1);
    const read = parseConversationLog(text, id);
    assert.ok(read.kind === 'ok', `the log parses (${read.kind})`);
    const stored = read.conversation;
    assert.deepEqual(
      stored.messages.map((m) => m.content),
      ['Where do conversations live?', 'Echo: Where do conversations live?'],
    );
    assert.ok(
      dir.startsWith(api.storageRoot) && api.storageRoot.includes('workspaceStorage'),
      `per-workspace folder: ${dir}`,
    );
    for (const key of api.globalState.keys())
      assert.ok(!JSON.stringify(api.globalState.get(key)).includes('Where do conversations live?'));
    for (const key of api.workspaceState.keys())
      assert.ok(!JSON.stringify(api.workspaceState.get(key)).includes('Where do conversations live?'));
  });

  it('sets a damaged file aside with a warning and still loads every other conversation', async () => {
    await ask('good1', 'A healthy conversation');
    const goodId = api.currentConversationId();
    fs.writeFileSync(path.join(dir, 'cbroken01.json'), '{"version":1,"id":"cbroken01","messages":[{"role":');
    const items = await api.conversations.list('');
    assert.ok(
      items.some((i) => i.id === goodId),
      'the healthy conversation is listed',
    );
    assert.ok(!items.some((i) => i.id === 'cbroken01'));
    const aside = fs.readdirSync(dir).filter((f) => f.startsWith('cbroken01.json.corrupt-'));
    assert.equal(aside.length, 1, `set aside, not deleted: ${fs.readdirSync(dir).join(', ')}`);
    assert.ok(
      fs.readFileSync(path.join(dir, aside[0]), 'utf8').startsWith('{"version":1'),
      'the damaged bytes are kept',
    );
    assert.ok(await api.conversations.open(goodId));
  });

  it('exports the conversation as Markdown', async () => {
    await ask('exp1', 'Explain `let` in one line');
    const target = vscode.Uri.file(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tally-export-')), 'chat.md'));
    await api.exportConversation(target);
    const md = fs.readFileSync(target.fsPath, 'utf8');
    assert.match(md, /^# Explain let in one line\n/, md.slice(0, 80));
    assert.match(md, /\*\*You\*\*\n\nExplain `let` in one line\n/);
    assert.match(md, /\*\*Assistant \(gpt-4o-mini\)\*\*\n\nEcho: Explain `let` in one line\n/);
    assert.match(md, /_Tokens: \d+ prompt \+ \d+ completion = \d+_/);
  });

  it('switches between conversations and the panel receives the one opened', async () => {
    await ask('sw1', 'first topic');
    const first = api.currentConversationId();
    await vscode.commands.executeCommand('tally.newChat');
    await ask('sw2', 'second topic');
    const second = api.currentConversationId();
    assert.notEqual(first, second);
    await api.receive({ type: 'conversation/open', id: first });
    const opened = await posts.next('conversation/opened');
    assert.equal(opened.conversation.id, first);
    assert.deepEqual(
      opened.messages.map((m) => m.content),
      ['first topic', 'Echo: first topic'],
    );
    assert.equal(api.currentConversationId(), first);
    // The next question goes on in the conversation that was opened.
    await ask('sw3', 'more on the first');
    const body = server.requests.at(-1)?.body as { messages: { content: string }[] };
    assert.deepEqual(
      body.messages.slice(-3).map((m) => m.content),
      ['first topic', 'Echo: first topic', 'more on the first'],
    );
    const search = await api.conversations.list('second topic');
    assert.deepEqual(
      search.map((s) => s.id),
      [second],
    );
  });

  it("sends a long conversation's newest messages on open and older pages when the panel asks", async () => {
    await ask('long0', 'a first question, so the folder exists');
    const id = 'clongpages01';
    const total = 700;
    const messages: ChatMessage[] = Array.from({ length: total }, (_, i) => ({
      id: `lp-m${i}`,
      role: i % 2 ? 'assistant' : 'user',
      content: `long message ${i}`,
      createdAt: 1_700_000_000_000 + i,
      // What the host caches for its context planning: never posted to the panel.
      tokenCounts: { o200k_base: 9 },
    }));
    const now = Date.now();
    const conv = { id, title: 'Pages', titleIsAuto: false, createdAt: now, updatedAt: now, messages };
    fs.writeFileSync(path.join(dir, `${id}.json`), snapshotLine(conv).text, { mode: 0o600 });
    await api.receive({ type: 'conversation/open', id });
    const opened = await posts.next('conversation/opened');
    assert.equal(opened.conversation.id, id);
    assert.equal(opened.messages.length, OPENING_MESSAGES);
    assert.equal(opened.olderCount, total - OPENING_MESSAGES);
    assert.equal(opened.messages.at(-1)?.content, `long message ${total - 1}`);
    assert.ok(
      opened.messages.every((m) => m.tokenCounts === undefined),
      'no token counts posted',
    );
    let loaded = opened.messages;
    let olderCount = opened.olderCount;
    for (let asked = 1; olderCount > 0; asked++) {
      await api.receive({ type: 'conversation/more', conversationId: id, beforeId: loaded[0].id });
      await waitFor('an older page', () => posts.of('conversation/older').length === asked);
      const older = posts.of('conversation/older')[asked - 1];
      assert.equal(older.beforeId, loaded[0].id);
      assert.ok(older.messages.length > 0 && older.messages.length <= OLDER_MESSAGES);
      assert.equal(older.olderCount, olderCount - older.messages.length);
      loaded = [...older.messages, ...loaded];
      olderCount = older.olderCount;
      assert.ok(asked < 10, 'bounded');
    }
    assert.deepEqual(
      loaded.map((m) => m.content),
      messages.map((m) => m.content),
      'every message once, in order',
    );
    // An ask for another conversation (the panel switched meanwhile) or a message no longer there: none, not an error.
    const before = posts.of('conversation/older').length;
    await api.receive({ type: 'conversation/more', conversationId: 'cnotopen', beforeId: 'lp-m500' });
    await api.receive({ type: 'conversation/more', conversationId: id, beforeId: 'lp-gone' });
    await waitFor('two answers', () => posts.of('conversation/older').length === before + 2);
    for (const answer of posts.of('conversation/older').slice(before)) {
      assert.deepEqual(answer.messages, []);
      assert.equal(answer.olderCount, 0);
    }
  });

  it('deletes a conversation and can restore it', async () => {
    await ask('del1', 'to be deleted');
    const id = api.currentConversationId();
    await api.conversations.delete(id, true);
    assert.ok(!(await api.conversations.list('')).some((i) => i.id === id));
    assert.notEqual(api.currentConversationId(), id, 'a new chat replaces the deleted one');
    assert.ok(!fs.existsSync(path.join(dir, `${id}.json`)));
  });
});
