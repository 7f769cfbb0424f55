// An image's width and height read from its header (PNG, GIF, WebP, JPEG), for the token estimate of an image in VS
// Code's Chat (issue #16). Only the header is read: PNG, GIF and WebP keep the size at a fixed offset; JPEG's is in
// its first start-of-frame segment, found by hopping from segment to segment (each hop reads 4 bytes, so the walk is
// linear in the number of segments and never looks at the pixels). Anything unreadable answers undefined, and the
// estimate falls back to the largest size the API bills (imageTokens.ts).

export interface ImageSize {
  width: number;
  height: number;
}

const ascii = (b: Uint8Array, at: number, text: string) =>
  b.length >= at + text.length && [...text].every((c, i) => b[at + i] === c.charCodeAt(0));
const u16be = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1];
const u16le = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
const u24le = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);
const u32be = (b: Uint8Array, at: number) => ((b[at] << 24) >>> 0) + ((b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]);

const sized = (width: number, height: number): ImageSize | undefined =>
  width > 0 && height > 0 ? { width, height } : undefined;

function png(b: Uint8Array): ImageSize | undefined {
  // Signature, then the IHDR chunk: length (4), "IHDR", width (4, big-endian), height (4).
  if (b.length < 24 || !ascii(b, 1, 'PNG') || !ascii(b, 12, 'IHDR')) return undefined;
  return sized(u32be(b, 16), u32be(b, 20));
}

function gif(b: Uint8Array): ImageSize | undefined {
  if (b.length < 10 || !ascii(b, 0, 'GIF8')) return undefined;
  return sized(u16le(b, 6), u16le(b, 8));
}

function webp(b: Uint8Array): ImageSize | undefined {
  if (b.length < 30 || !ascii(b, 0, 'RIFF') || !ascii(b, 8, 'WEBP')) return undefined;
  if (ascii(b, 12, 'VP8X')) return sized(u24le(b, 24) + 1, u24le(b, 27) + 1);
  if (ascii(b, 12, 'VP8L')) {
    // 14 bits each of width - 1 and height - 1, after the 0x2f signature byte.
    const bits = b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24);
    return sized((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (ascii(b, 12, 'VP8 ')) return sized(u16le(b, 26) & 0x3fff, u16le(b, 28) & 0x3fff);
  return undefined;
}

function jpeg(b: Uint8Array): ImageSize | undefined {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return undefined;
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return undefined;
    const marker = b[at + 1];
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    // Start of frame: C0–CF except DHT (C4), JPG (C8) and DAC (CC). Its payload: precision (1), height (2), width (2).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return sized(u16be(b, at + 7), u16be(b, at + 5));
    if (marker === 0xd9 || marker === 0xda) return undefined; // end of image, or the scan began without a frame
    at += 2 + u16be(b, at + 2);
  }
  return undefined;
}

/** The size in the header of `bytes`, or undefined when the format is not one of these or the header is damaged. */
export function imageDimensions(bytes: Uint8Array): ImageSize | undefined {
  return png(bytes) ?? gif(bytes) ?? webp(bytes) ?? jpeg(bytes);
}
