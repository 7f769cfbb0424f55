// VS Code's language-model messages (issue #16) in a neutral shape, and their conversion to the chat API's messages.
// The host maps vscode's classes (LanguageModelTextPart, LanguageModelToolCallPart, LanguageModelToolResultPart,
// LanguageModelDataPart) to these shapes with instanceof checks, so the rules live here, in plain unit-tested code.
import * as l10n from '@vscode/l10n';
import type { ChatImage, ChatRequestMessage, ToolCall } from '../api/chatClient';
import { TallyError } from '../api/errors';
import { imageDimensions } from './imageDimensions';
import { imageTokens } from './imageTokens';

/** The image types the chat API takes (platform.openai.com/docs/guides/images-vision). */
export const IMAGE_MIME_TYPES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
/** Most bytes of images one request may carry (before base64): larger is refused with a clear message, not sent. */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

/** What a tool result holds: text, JSON (a data part of a JSON mime type), or anything else the model cannot read. */
export type LmResultPart =
  { kind: 'text'; value: string } | { kind: 'json'; value: unknown } | { kind: 'other'; mimeType: string };

export type LmPart =
  | { kind: 'text'; value: string }
  | { kind: 'toolCall'; callId: string; name: string; input: unknown }
  | { kind: 'toolResult'; callId: string; content: LmResultPart[] }
  | { kind: 'data'; mimeType: string; byteLength: number; bytes?: Uint8Array };

export interface LmMessage {
  role: 'system' | 'user' | 'assistant';
  parts: LmPart[];
}

/** What a conversion left out, for the log (never message text). */
export interface LmConversionNotes {
  droppedParts: string[];
  /** Images left out because the model does not take them. */
  droppedImages: number;
}

/** What the model takes: `imageInput` from the registry (tokens/models.ts); `modelId` picks the image token formula. */
export interface LmModelTraits {
  modelId: string;
  imageInput: boolean;
}

/** The text a tool result gives the model: text parts as they are, JSON parts as JSON, the rest named. */
export function toolResultText(parts: readonly LmResultPart[]): string {
  return parts
    .map((p) =>
      p.kind === 'text' ? p.value : p.kind === 'json' ? JSON.stringify(p.value) : `[${p.mimeType} content omitted]`,
    )
    .join('');
}

/** A data part as an image the API takes, or undefined (not an image type, or no bytes). */
function asImage(p: Extract<LmPart, { kind: 'data' }>, modelId: string): ChatImage | undefined {
  const mimeType = p.mimeType.toLowerCase();
  if (!IMAGE_MIME_TYPES.has(mimeType) || !p.bytes) return undefined;
  return {
    mimeType,
    base64: Buffer.from(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength).toString('base64'),
    tokens: imageTokens(modelId, imageDimensions(p.bytes)),
  };
}

/** Refuses a request whose images together exceed MAX_IMAGE_BYTES, before any is encoded. */
function checkImageBytes(messages: readonly LmMessage[]): void {
  let total = 0;
  for (const m of messages)
    for (const p of m.parts)
      if (p.kind === 'data' && m.role === 'user' && IMAGE_MIME_TYPES.has(p.mimeType.toLowerCase()))
        total += p.byteLength;
  if (total > MAX_IMAGE_BYTES)
    throw new TallyError(
      'badRequest',
      l10n.t(
        'The images in this request are {0} MB together; Tally sends at most {1} MB of images per request. Attach fewer or smaller images.',
        (total / 1024 / 1024).toFixed(1),
        MAX_IMAGE_BYTES / 1024 / 1024,
      ),
      false,
    );
}

/**
 * VS Code's messages as chat API messages. A user message's tool results become `tool` messages placed first (the API
 * wants them right after the assistant message that made the calls), then its text, if any, with its images when the
 * model takes them (PNG, JPEG, GIF, WebP; at most MAX_IMAGE_BYTES in all, else a TallyError). An assistant message's
 * tool calls are kept with their ids and their input as JSON text. Parts the API cannot take here (images for a
 * text-only model, other binary data) are left out and named in `notes`.
 */
export function toChatMessages(
  messages: readonly LmMessage[],
  traits: LmModelTraits = { modelId: '', imageInput: false },
): {
  messages: ChatRequestMessage[];
  notes: LmConversionNotes;
} {
  if (traits.imageInput) checkImageBytes(messages);
  const out: ChatRequestMessage[] = [];
  const notes: LmConversionNotes = { droppedParts: [], droppedImages: 0 };
  for (const m of messages) {
    const text: string[] = [];
    const calls: ToolCall[] = [];
    const images: ChatImage[] = [];
    for (const p of m.parts) {
      if (p.kind === 'text') text.push(p.value);
      else if (p.kind === 'toolCall')
        calls.push({ id: p.callId, name: p.name, arguments: JSON.stringify(p.input ?? {}) });
      else if (p.kind === 'toolResult')
        out.push({ role: 'tool', toolCallId: p.callId, content: toolResultText(p.content) });
      else {
        const image = traits.imageInput && m.role === 'user' ? asImage(p, traits.modelId) : undefined;
        if (image) images.push(image);
        else {
          if (IMAGE_MIME_TYPES.has(p.mimeType.toLowerCase())) notes.droppedImages++;
          notes.droppedParts.push(`${p.mimeType} (${p.byteLength} bytes)`);
        }
      }
    }
    const content = text.join('');
    if (m.role === 'assistant') {
      if (calls.length) out.push({ role: 'assistant', content, toolCalls: calls });
      else if (content) out.push({ role: 'assistant', content });
    } else {
      if (calls.length) notes.droppedParts.push(`tool calls in a ${m.role} message`);
      if (images.length) out.push({ role: 'user', content, images });
      else if (content) out.push({ role: m.role, content });
    }
  }
  return { messages: out, notes };
}

/** The texts whose tokens make up a message's cost beyond the chat format's framing: content, then each tool call's
 *  name and arguments, or a tool message's call id. Counting these with the model's encoding is Tally's estimate for
 *  tool traffic (OpenAI does not publish its exact framing for tool calls; the API's usage is what is billed). */
export function countableTexts(m: ChatRequestMessage): string[] {
  if (m.role === 'tool') return [m.toolCallId, m.content];
  if (m.role === 'assistant' && m.toolCalls?.length)
    return [m.content, ...m.toolCalls.flatMap((c) => [c.name, c.arguments])];
  return [m.content];
}
