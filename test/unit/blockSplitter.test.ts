// The streaming render's block splitter: complete top-level blocks are handed out once, in order, and together with
// the tail always make up the whole text; fenced code is never cut; the work per push is the new text only.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import MarkdownIt from 'markdown-it';
import { markdownReply } from '../../bench/markdownReply';
import { BlockSplitter } from '../../src/webview/render/blockSplitter';
import { linkSafetyPlugin } from '../../src/webview/render/markdownLinks';

// The panel's markdown-it (src/webview/render/markdown.ts, without the DOMPurify pass, which works element by element).
const md = new MarkdownIt({ html: false, linkify: true, breaks: false }).use(linkSafetyPlugin);

/** Replies as models write them: loose and tight lists (bullets, numbers, nested), code, quotes, tables, headings. */
const REPLIES = [
  '1. First step\n\n2. Second step\n\n   More on the second.\n\n3. Third\n\nAfter the list.',
  'Intro:\n\n- a\n- b\n\n- c after a blank\n\n* other bullet\n\nText\n\n10) ten\n11) eleven\n\nEnd.',
  '- item\n  - nested\n\n    nested para\n\n- next\n\n```js\nconst a = 1;\n\nconst b = 2;\n```\n\n- after code',
  '# Title\n\n> quoted\n> more\n\n> second quote\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n---\n\nSetext\n===\n\n***\n\nLast *words*',
  'Visit https://example.com and <b>bold</b>\n\n    indented code\n\nPara\n\n2020. A year\n\n-\n\n+ plus\n\n+ plus two',
];

/** Renders `text` streamed in pieces of `size`: each finished block once, on its own, then the tail. (MarkdownBody
 *  renders runs of blocks together; a run's HTML is its blocks' one by one, as each cut is one.) */
function renderStreamed(text: string, size: number): { html: string; whole: boolean } {
  const s = new BlockSplitter();
  const parts: string[] = [];
  for (let end = size; end < text.length + size; end += size) {
    const r = s.push(text.slice(0, end));
    assert.equal(r.pieces.join(''), r.blocks, 'the pieces are the blocks, cut');
    assert.ok(
      r.pieces.every((p) => p !== ''),
      'no empty piece',
    );
    for (const piece of r.pieces) parts.push(md.render(piece));
  }
  parts.push(md.render(s.push(text).tail));
  return { html: parts.join(''), whole: s.needsWholeRender };
}

/** Pushes `text` in pieces of `size` characters; returns the blocks handed out and the final tail. */
function stream(text: string, size: number): { blocks: string[]; tail: string } {
  const s = new BlockSplitter();
  const blocks: string[] = [];
  let tail = '';
  let committed = 0;
  for (let end = size; end < text.length + size; end += size) {
    const r = s.push(text.slice(0, end));
    if (r.blocks) blocks.push(r.blocks);
    committed += r.blocks.length;
    tail = r.tail;
    assert.equal(committed + tail.length, Math.min(end, text.length), 'blocks + tail = the text so far');
  }
  assert.equal(blocks.join('') + tail, text);
  return { blocks, tail };
}

describe('block splitter', () => {
  it('splits at blank lines before a new top-level block, whatever the piece size', () => {
    const text = '# Title\n\nFirst paragraph\nstill first.\n\nSecond.\n\n- a\n- b\n\nLast';
    for (const size of [1, 3, 7, 4096]) {
      const { blocks, tail } = stream(text, size);
      assert.equal(
        blocks.join(''),
        '# Title\n\nFirst paragraph\nstill first.\n\nSecond.\n\n- a\n- b\n\n',
        `size ${size}`,
      );
      assert.equal(tail, 'Last');
    }
    // Pushed at once, the blocks come cut one by one.
    assert.deepEqual(new BlockSplitter().push(text).pieces, [
      '# Title\n\n',
      'First paragraph\nstill first.\n\n',
      'Second.\n\n',
      '- a\n- b\n\n',
    ]);
  });

  it('never splits inside a fenced code block (backticks or tildes, longer closing fences)', () => {
    const text = 'Intro\n\n````ts\nconst a = 1;\n\n```\n\nnot closed yet\n````\n\nAfter\n\n~~~\nx\n\ny\n~~~\n\nEnd';
    const { blocks, tail } = stream(text, 2);
    const all = blocks.join('');
    assert.equal(all, 'Intro\n\n````ts\nconst a = 1;\n\n```\n\nnot closed yet\n````\n\nAfter\n\n~~~\nx\n\ny\n~~~\n\n');
    const open = text.indexOf('````ts');
    const close = text.indexOf('````\n\nAfter');
    let offset = 0;
    for (const b of blocks) {
      offset += b.length;
      assert.ok(offset <= open || offset > close, `no block ends inside the fence (at ${offset})`);
    }
    assert.equal(tail, 'End');
  });

  it('an indented line after a blank line continues the block (list item, indented code)', () => {
    const { blocks, tail } = stream('- item\n\n  more of the item\n\n      code\n', 5);
    assert.deepEqual(blocks, []);
    assert.equal(tail, '- item\n\n  more of the item\n\n      code\n');
  });

  it('a text that does not extend the previous one is refused until reset', () => {
    const s = new BlockSplitter();
    s.push('Hello\n\nWorld');
    assert.equal(s.extends('Hello\n\nWorld and more'), true);
    assert.equal(s.extends('Goodbye'), false);
    assert.throws(() => s.push('Goodbye'));
    s.reset();
    assert.deepEqual(s.push('Goodbye\n\nAll'), { blocks: 'Goodbye\n\n', pieces: ['Goodbye\n\n'], tail: 'All' });
  });

  it('hands out each character once: 1 MiB in 4 KiB pieces, at most one batch of blocks per piece', () => {
    const para = `${'word '.repeat(150)}\n\n`;
    const text = para.repeat(Math.ceil((1024 * 1024) / para.length));
    const { blocks, tail } = stream(text, 4096);
    assert.ok(blocks.length > 200 && blocks.length <= Math.ceil(text.length / 4096), `${blocks.length} batches`);
    assert.equal(tail, para, 'the last paragraph stays open: nothing after it shows it ended');
  });

  it('the blocks rendered one by one give the HTML of the whole text rendered at once (markdown-it)', () => {
    for (const text of [...REPLIES, markdownReply(20_000, 3)]) {
      for (const size of [1, 4, 9, 100]) {
        const { html, whole } = renderStreamed(text, size);
        assert.equal(whole, false, 'no reference definition here');
        assert.equal(html, md.render(text), `size ${size}: ${JSON.stringify(text.slice(0, 40))}`);
      }
    }
  });

  it('does not cut between list items: a blank line between them makes one loose list, not two', () => {
    const { blocks, tail } = stream('1. one\n\n2. two\n\n- x\n\nafter\n\n- y', 3);
    assert.deepEqual(blocks.join(''), '1. one\n\n2. two\n\n- x\n\nafter\n\n');
    assert.equal(tail, '- y');
  });

  it('flags a reply with a link reference definition, which changes blocks before it', () => {
    const text = 'See [the docs].\n\nMore text.\n\n[the docs]: https://example.com\n';
    const { html, whole } = renderStreamed(text, 4);
    assert.equal(whole, true);
    assert.notEqual(html, md.render(text), 'rendered piece by piece the first block has no link: the flag matters');
    const inCode = renderStreamed('```\n[a]: b\n```\n\nText', 4);
    assert.equal(inCode.whole, false, 'a definition inside fenced code is only code');
  });
});
