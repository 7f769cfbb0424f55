import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CONVERSATION_VERSION,
  defaultTitle,
  isConversationId,
  migrate,
  parseConversation,
  serializeConversation,
  summarize,
  type Conversation,
} from '../../src/core/conversations/codec';
import {
  mergeIndex,
  parseIndex,
  serializeIndex,
  type IndexEntry,
} from '../../src/core/conversations/conversationIndex';
import { toJson, toMarkdown } from '../../src/core/conversations/export';
import { matchConversation, searchPattern } from '../../src/core/conversations/search';
import { autoTitle, titleFor } from '../../src/core/conversations/titles';
import type { ChatMessage } from '../../src/shared/conversation';

const msg = (i: number, role: ChatMessage['role'], content: string, extra: Partial<ChatMessage> = {}): ChatMessage => ({
  id: `m${i}`,
  role,
  content,
  createdAt: 1000 + i,
  ...extra,
});

const sample = (): Conversation => ({
  id: 'c1',
  title: 'Sorting in Rust',
  titleIsAuto: false,
  createdAt: 1000,
  updatedAt: 2000,
  model: 'gpt-4o',
  messages: [
    msg(0, 'user', 'How do I sort a `Vec<f64>`?'),
    msg(1, 'assistant', 'Use `sort_by`:\n\n```rust\nv.sort_by(|a, b| a.partial_cmp(b).unwrap());\n```\n\nDone.', {
      model: 'gpt-4o',
      status: 'complete',
      usage: { promptTokens: 12, completionTokens: 30, totalTokens: 42, cachedPromptTokens: 8 },
    }),
    msg(2, 'user', 'And descending?'),
    msg(3, 'assistant', 'Reverse it:\n```rust\nv.sort_by(|a, b| b', { model: 'gpt-4o', status: 'stopped' }),
  ],
});

describe('stored conversation shape', () => {
  it('round-trips through the file format with its version', () => {
    const text = serializeConversation(sample());
    assert.equal(JSON.parse(text).version, CONVERSATION_VERSION);
    const r = parseConversation(text, 'c1');
    assert.equal(r.kind, 'ok');
    assert.deepEqual(r.kind === 'ok' && r.conversation, sample());
    assert.equal(r.kind === 'ok' && r.migratedFrom, undefined);
  });

  it('rejects bad JSON, wrong shapes and an id that does not match the file name, with a reason', () => {
    const good = JSON.parse(serializeConversation(sample())) as Record<string, unknown>;
    const cases: [string, RegExp][] = [
      ['{"version":1,', /JSON/],
      ['[1,2]', /object/],
      [JSON.stringify({ ...good, version: 'one' }), /version/],
      [JSON.stringify({ ...good, id: '../etc' }), /id/],
      [JSON.stringify({ ...good, title: 7 }), /title/],
      [JSON.stringify({ ...good, updatedAt: 'yesterday' }), /updatedAt/],
      [JSON.stringify({ ...good, messages: {} }), /messages/],
      [JSON.stringify({ ...good, messages: [{ id: 'x', role: 'wizard', content: '', createdAt: 1 }] }), /role/],
      [JSON.stringify({ ...good, messages: [{ id: 'x', role: 'user', createdAt: 1 }] }), /content/],
    ];
    for (const [text, reason] of cases) {
      const r = parseConversation(text, 'c1');
      assert.equal(r.kind, 'invalid', text);
      assert.match(r.kind === 'invalid' ? r.reason : '', reason, text);
    }
    const other = parseConversation(serializeConversation(sample()), 'c2');
    assert.match(other.kind === 'invalid' ? other.reason : '', /does not match/);
  });

  it('drops malformed optional fields but keeps the message', () => {
    const c = sample();
    const raw = JSON.parse(serializeConversation(c)) as { messages: Record<string, unknown>[] };
    raw.messages[1].usage = { promptTokens: 'many' };
    raw.messages[1].status = 'exploded';
    raw.messages[1].model = 4;
    const r = parseConversation(JSON.stringify(raw));
    assert.equal(r.kind, 'ok');
    const m = r.kind === 'ok' ? r.conversation.messages[1] : undefined;
    assert.deepEqual(m, { id: 'm1', role: 'assistant', content: c.messages[1].content, createdAt: 1001 });
  });

  it('reports a newer version as future, not as damage', () => {
    const r = parseConversation(
      JSON.stringify({ ...JSON.parse(serializeConversation(sample())), version: 99, messages: 'new shape' }),
    );
    assert.deepEqual(r, { kind: 'future', version: 99 });
  });

  it('migrates version 0 (no version, messages without ids or times) to version 1', () => {
    const v0 = {
      id: 'old1',
      title: '',
      createdAt: 500,
      messages: [
        { role: 'user', content: 'Explain **closures** in JS' },
        { role: 'assistant', content: 'A closure…' },
      ],
    };
    const m = migrate(v0);
    assert.equal(m.kind === 'ok' && m.from, 0);
    const r = parseConversation(JSON.stringify(v0), 'old1');
    assert.equal(r.kind, 'ok');
    if (r.kind !== 'ok') return;
    assert.equal(r.migratedFrom, 0);
    assert.deepEqual(r.conversation, {
      id: 'old1',
      title: defaultTitle(),
      titleIsAuto: true,
      createdAt: 500,
      updatedAt: 500,
      messages: [
        { id: 'old1-m0', role: 'user', content: 'Explain **closures** in JS', createdAt: 500 },
        { id: 'old1-m1', role: 'assistant', content: 'A closure…', createdAt: 500 },
      ],
    });
    assert.equal(titleFor(r.conversation), 'Explain closures in JS');
    const titled = parseConversation(JSON.stringify({ ...v0, title: 'Kept' }), 'old1');
    assert.equal(titled.kind === 'ok' && titled.conversation.title, 'Kept');
    assert.equal(titled.kind === 'ok' && titled.conversation.titleIsAuto, false);
  });

  it('allows only ids that are safe file names', () => {
    for (const ok of ['c1', 'cmbx_3-Z', 'a'.repeat(128)]) assert.ok(isConversationId(ok), ok);
    for (const bad of ['', 'index', '../x', 'a/b', 'a.b', 'a'.repeat(129), 'c 1', 3])
      assert.ok(!isConversationId(bad), String(bad));
  });
});

describe('index shape', () => {
  const entry = (id: string, updatedAt: number, title = id): IndexEntry => ({
    id,
    title,
    createdAt: 1,
    updatedAt,
    messageCount: 2,
    preview: 'p',
    fingerprint: `f${updatedAt}`,
  });

  it('round-trips, and rejects other versions or garbage; drops bad entries', () => {
    assert.deepEqual(parseIndex(serializeIndex([entry('a', 5)])), [entry('a', 5)]);
    assert.equal(parseIndex('{oops'), undefined);
    assert.equal(parseIndex(JSON.stringify({ version: 2, conversations: [] })), undefined);
    assert.deepEqual(
      parseIndex(
        JSON.stringify({ version: 1, conversations: [{ ...entry('a', 5), extra: '<script>' }, { id: '../x' }, null] }),
      ),
      [entry('a', 5)],
    );
  });

  it('merges by id: newest updatedAt wins, deletions win, untouched entries stay', () => {
    const disk = [entry('a', 10, 'disk a'), entry('b', 10, 'disk b'), entry('c', 10)];
    const merged = mergeIndex(
      disk,
      new Map([
        ['a', entry('a', 5, 'older a')],
        ['b', entry('b', 20, 'newer b')],
        ['c', null],
        ['d', entry('d', 1)],
      ]),
    );
    assert.deepEqual(merged.map((e) => `${e.id}:${e.title}`).sort(), ['a:disk a', 'b:newer b', 'd:d']);
  });

  it('summarises with count and a one-line preview of the last message', () => {
    const s = summarize({
      ...sample(),
      messages: [...sample().messages, msg(4, 'user', `  line one\n\n line two ${'x'.repeat(500)}`)],
    });
    assert.equal(s.messageCount, 5);
    assert.ok(s.preview.startsWith('line one line two x'));
    assert.equal(s.preview.length, 120);
  });
});

describe('auto-title', () => {
  it('takes the first line of prose, markdown stripped, whitespace collapsed', () => {
    assert.equal(
      autoTitle('  How do   I **parse** `JSON` in [Go](https://go.dev)?\nMore detail'),
      'How do I parse JSON in Go?',
    );
    assert.equal(autoTitle('# Why is my_var_name *undefined*?'), 'Why is my_var_name undefined?');
    assert.equal(autoTitle('- `a*b*c` in _python_'), 'a*b*c in python');
    assert.equal(autoTitle('```ts\nconst x = 1;\n```\n\nWhat does this do?'), 'What does this do?');
    assert.equal(autoTitle('```\nonly   code here\n```'), 'only code here');
    assert.equal(autoTitle('   \n\n'), defaultTitle());
  });

  it('cuts long titles on a word boundary at 60 characters with an ellipsis', () => {
    const t = autoTitle(
      'Please explain the difference between interfaces and abstract classes in TypeScript, with examples',
    );
    assert.equal(t, 'Please explain the difference between interfaces and…');
    assert.ok(t.length <= 60);
    const word = autoTitle('x'.repeat(100));
    assert.equal(word, `${'x'.repeat(59)}…`);
    assert.ok(!autoTitle(`${'a'.repeat(58)}😀😀`).includes('\uD83D…'), 'no lone surrogate');
  });
});

describe('export', () => {
  it('writes Markdown: title, role headings with model, content verbatim, usage, incomplete replies marked', () => {
    const md = toMarkdown(sample());
    assert.ok(
      md.startsWith('# Sorting in Rust\n\n**You**\n\nHow do I sort a `Vec<f64>`?\n\n**Assistant (gpt-4o)**\n\n'),
    );
    assert.ok(
      md.includes('```rust\nv.sort_by(|a, b| a.partial_cmp(b).unwrap());\n```\n\nDone.'),
      'code fence verbatim',
    );
    assert.ok(md.includes('_Tokens: 12 prompt (8 cached) + 30 completion = 42_'));
    assert.ok(
      md.includes('v.sort_by(|a, b| b\n```\n\n_Stopped: the reply is incomplete._'),
      'open fence closed, stop marked',
    );
    assert.equal((md.match(/^```/gm) ?? []).length % 2, 0);
    const interrupted = toMarkdown({ ...sample(), messages: [msg(0, 'assistant', '', { status: 'interrupted' })] });
    assert.match(interrupted, /\*\*Assistant\*\*\n\n_\(empty\)_\n\n_Interrupted by an error/);
    assert.ok(md.endsWith('\n') && !md.endsWith('\n\n'));
  });

  it('writes a reply cost as the panel shows it, and token counts grouped', () => {
    const usage = { promptTokens: 12_000, completionTokens: 30, totalTokens: 12_030 };
    const md = toMarkdown({
      ...sample(),
      messages: [
        msg(0, 'assistant', 'a', { usage, costUsd: 0.0031 }),
        msg(1, 'assistant', 'b', { usage, cached: true, savedUsd: 0.5, costUsd: 0 }),
        msg(2, 'assistant', 'c', { usage }),
      ],
    });
    assert.ok(md.includes('_Tokens: 12,000 prompt + 30 completion = 12,030_ · _$0.0031_'));
    assert.ok(md.includes('_Tokens: 12,000 prompt + 30 completion = 12,030_ · _answered from cache, saved $0.50_'));
    assert.ok(md.includes('_Tokens: 12,000 prompt + 30 completion = 12,030_\n'), 'no cost part when none was recorded');
  });

  it('writes JSON: the stored shape, pretty, readable back', () => {
    const json = toJson(sample());
    assert.ok(json.includes('\n  "version": 1,'));
    const r = parseConversation(json, 'c1');
    assert.deepEqual(r.kind === 'ok' && r.conversation, sample());
  });
});

describe('search matching', () => {
  it('counts case-insensitive matches in title and contents, with a snippet around the first content match', () => {
    const pattern = searchPattern('SORT_by');
    assert.ok(pattern);
    const hit = matchConversation(sample(), pattern);
    assert.deepEqual(hit && { count: hit.matchCount, inTitle: hit.inTitle }, { count: 3, inTitle: false });
    assert.equal(hit?.snippet, 'Use `sort_by`: ```rust v.sort_by(|a, b| a.partial_c…');
    const title = matchConversation(sample(), searchPattern('rust')!);
    assert.equal(title?.inTitle, true);
    assert.equal(title?.matchCount, 3);
  });

  it('treats the query literally and lets whitespace match any whitespace; blank queries match nothing', () => {
    assert.equal(matchConversation(sample(), searchPattern('(|a, b|')!)?.matchCount, 2);
    assert.equal(matchConversation(sample(), searchPattern('sort_by`:   ```RUST')!)?.matchCount, 1);
    assert.equal(matchConversation(sample(), searchPattern('quantum')!), undefined);
    assert.equal(searchPattern('   '), undefined);
  });
});

describe('stored message fields', () => {
  it('keep the reply cost, the cache mark and the cached token counts through a save and load', async () => {
    const { parseConversation, serializeConversation } = await import('../../src/core/conversations/codec');
    const conv = {
      id: 'cmoney1',
      title: 't',
      titleIsAuto: false,
      createdAt: 1,
      updatedAt: 2,
      messages: [
        { id: 'm1', role: 'user' as const, content: 'q', createdAt: 1, tokenCounts: { o200k_base: 5 } },
        {
          id: 'm2',
          role: 'assistant' as const,
          content: 'a',
          createdAt: 2,
          model: 'gpt-4o',
          costUsd: 0.0123,
          savedUsd: 0.5,
          cached: true,
          usage: { promptTokens: 10, completionTokens: 2, totalTokens: 12 },
          status: 'complete' as const,
          tokenCounts: { o200k_base: 5, cl100k_base: 6 },
        },
      ],
    };
    const read = parseConversation(serializeConversation(conv), 'cmoney1');
    assert.equal(read.kind, 'ok');
    if (read.kind === 'ok') assert.deepEqual(read.conversation.messages, conv.messages);
  });
});
