// Images in VS Code's Chat (issue #16): a user message's image becomes an OpenAI `image_url` part with a data: URL only
// for models that take images, is refused over the size limit with a clear message, is counted with OpenAI's
// documented formulas (size read from the header, or the upper bound when unreadable), and the registry says which
// models take images.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toWireMessage } from '../../src/core/api/toolCalls';
import { imageDimensions } from '../../src/core/lm/imageDimensions';
import { imageTokens, patchesFor, tilesFor } from '../../src/core/lm/imageTokens';
import { MAX_IMAGE_BYTES, toChatMessages, type LmMessage } from '../../src/core/lm/lmMessages';
import { parseModelOverrides, resolveModel } from '../../src/core/tokens/models';

/** A PNG header (signature + IHDR) of the given size; the rest of the file does not matter to the reader. */
function png(width: number, height: number): Uint8Array {
  const b = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'latin1');
  b.writeUInt32BE(width, 16);
  b.writeUInt32BE(height, 20);
  return new Uint8Array(b);
}

/** A JPEG with an APP0 segment before its baseline frame (SOF0). */
function jpeg(width: number, height: number): Uint8Array {
  const app0 = [0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0];
  const sof0 = [
    0xff,
    0xc0,
    0x00,
    0x11,
    8,
    height >> 8,
    height & 0xff,
    width >> 8,
    width & 0xff,
    3,
    ...Array(9).fill(0),
  ];
  return new Uint8Array([0xff, 0xd8, ...app0, ...sof0, 0xff, 0xd9]);
}

const userWithImage = (bytes: Uint8Array, mimeType = 'image/png'): LmMessage => ({
  role: 'user',
  parts: [
    { kind: 'text', value: 'What is in this picture?' },
    { kind: 'data', mimeType, byteLength: bytes.byteLength, bytes },
  ],
});

describe('images in VS Code Chat requests', () => {
  it('reads the size from PNG, JPEG, GIF and WebP headers; anything else is unknown', () => {
    assert.deepEqual(imageDimensions(png(1024, 768)), { width: 1024, height: 768 });
    assert.deepEqual(imageDimensions(jpeg(640, 480)), { width: 640, height: 480 });
    const gif = new Uint8Array([...Buffer.from('GIF89a'), 0x20, 0x03, 0x58, 0x02]);
    assert.deepEqual(imageDimensions(gif), { width: 800, height: 600 });
    const vp8x = Buffer.alloc(30);
    vp8x.write('RIFF', 0, 'latin1');
    vp8x.write('WEBPVP8X', 8, 'latin1');
    vp8x.writeUIntLE(1919, 24, 3);
    vp8x.writeUIntLE(1079, 27, 3);
    assert.deepEqual(imageDimensions(new Uint8Array(vp8x)), { width: 1920, height: 1080 });
    assert.equal(imageDimensions(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])), undefined);
    assert.equal(imageDimensions(png(1024, 768).subarray(0, 20)), undefined, 'a cut header');
    assert.equal(imageDimensions(new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0, 2, 0, 0, 0, 0, 0])), undefined);
  });

  it("counts tokens with OpenAI's documented examples, and the upper bound when the size is unknown", () => {
    // The guide's examples: 1024×1024 → 4 tiles (765 tokens), 2048×4096 → 6 tiles (1105 tokens).
    assert.equal(tilesFor({ width: 1024, height: 1024 }), 4);
    assert.equal(imageTokens('gpt-4o', { width: 1024, height: 1024 }), 765);
    assert.equal(imageTokens('gpt-4o', { width: 2048, height: 4096 }), 1105);
    assert.equal(imageTokens('gpt-4o', { width: 500, height: 500 }), 255);
    assert.equal(imageTokens('gpt-4o-mini', { width: 500, height: 500 }), 2833 + 5667);
    // Patches: 1024×1024 is 32×32 patches = 1024; larger images are capped at 1536 patches.
    assert.equal(patchesFor({ width: 1024, height: 1024 }), 1024);
    assert.ok(patchesFor({ width: 1800, height: 2400 }) <= 1536);
    assert.equal(imageTokens('gpt-4.1-mini', { width: 1024, height: 1024 }), Math.ceil(1024 * 1.62));
    // Unknown size: 8 tiles (85 + 8 × 170), or 1536 patches.
    assert.equal(imageTokens('gpt-4o', undefined), 85 + 8 * 170);
    assert.equal(imageTokens('o4-mini', undefined), Math.ceil(1536 * 1.72));
  });

  it('a model that takes images: the text and an image_url part with a base64 data: URL', () => {
    const bytes = png(512, 512);
    const { messages, notes } = toChatMessages([userWithImage(bytes)], { modelId: 'gpt-4o', imageInput: true });
    assert.equal(messages.length, 1);
    const wire = toWireMessage(messages[0]);
    assert.deepEqual(wire, {
      role: 'user',
      content: [
        { type: 'text', text: 'What is in this picture?' },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${Buffer.from(bytes).toString('base64')}` } },
      ],
    });
    assert.equal(messages[0].role === 'user' && messages[0].images?.[0].tokens, 85 + 170);
    assert.equal(notes.droppedImages, 0);
  });

  it('a text-only model: the image is left out and counted in the notes; the text is kept', () => {
    const { messages, notes } = toChatMessages([userWithImage(png(10, 10))], {
      modelId: 'gpt-3.5-turbo',
      imageInput: false,
    });
    assert.deepEqual(messages, [{ role: 'user', content: 'What is in this picture?' }]);
    assert.equal(notes.droppedImages, 1);
    assert.deepEqual(notes.droppedParts, ['image/png (33 bytes)']);
  });

  it('other binary types and images in assistant messages are never sent as images', () => {
    const bytes = png(10, 10);
    const { messages, notes } = toChatMessages(
      [
        userWithImage(bytes, 'application/pdf'),
        { role: 'assistant', parts: [{ kind: 'data', mimeType: 'image/png', byteLength: 33, bytes }] },
      ],
      { modelId: 'gpt-4o', imageInput: true },
    );
    assert.deepEqual(messages, [{ role: 'user', content: 'What is in this picture?' }]);
    assert.equal(notes.droppedParts.length, 2);
  });

  it('images over the limit together are refused with a message naming the limit; nothing is encoded', () => {
    const half = { kind: 'data' as const, mimeType: 'image/jpeg', byteLength: MAX_IMAGE_BYTES / 2 + 1 };
    assert.throws(
      () => toChatMessages([{ role: 'user', parts: [half, half] }], { modelId: 'gpt-4o', imageInput: true }),
      (e: Error & { kind?: string }) => e.kind === 'badRequest' && /at most 20 MB of images/.test(e.message),
    );
    // For a text-only model the images are dropped, not refused.
    assert.doesNotThrow(() => toChatMessages([{ role: 'user', parts: [half, half] }]));
  });

  it('the registry: gpt-4o, gpt-4o-mini, gpt-4.1*, o-series take images, gpt-3.5 does not; settings may say so', () => {
    for (const id of ['gpt-4o', 'gpt-4o-mini-2024-07-18', 'gpt-4.1-nano', 'o3', 'o4-mini', 'gpt-5'])
      assert.equal(resolveModel(id).imageInput, true, id);
    for (const id of ['gpt-3.5-turbo', 'gpt-4', 'o3-mini', 'llava:13b'])
      assert.notEqual(resolveModel(id).imageInput, true, id);
    const { overrides, problems } = parseModelOverrides({ 'llava:13b': { imageInput: true }, x: { imageInput: 1 } });
    assert.equal(resolveModel('llava:13b', overrides).imageInput, true);
    assert.deepEqual(problems, ['x.imageInput: expected true or false']);
  });
});
