// The typed message protocol between the chat webview and the extension host.
// One union per direction. Messages from the webview are untrusted: `parseWebviewMessage` validates them with
// valibot schemas, and the WebviewToHost type is inferred from those schemas, so the two cannot drift apart.
import * as v from 'valibot';
import type { ChatMessage } from './conversation';
import type { ErrorAction, ErrorView } from './errors';

/** Longest draft the panel may send (characters): far above any model's context, well below a memory problem. */
export const MAX_DRAFT_CHARS = 2_000_000;

/** What a code block in a reply can do with the editor (Copy stays in the panel). */
export const CODE_BLOCK_ACTIONS = ['insert', 'replace', 'newFile'] as const;
export type CodeBlockAction = (typeof CODE_BLOCK_ACTIONS)[number];
/** Longest code block the panel may send (characters): a reply is capped well below this. */
export const MAX_CODE_BLOCK_CHARS = 1_000_000;
/** Bounds of the interval the panel may ask stream pieces to be posted at (`stream/pace`), ms. */
export const STREAM_PACE_MS = { min: 16, max: 1000 } as const;

// Built on the first message, not when the extension bundle loads (activation does not need it).
function buildWebviewToHostSchema() {
  const requestId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/));
  const conversationId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,80}$/));
  const messageId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,128}$/));
  return v.variant('type', [
    v.strictObject({ type: v.literal('ready') }),
    v.strictObject({
      type: v.literal('chat/send'),
      requestId,
      text: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_DRAFT_CHARS)),
    }),
    v.strictObject({ type: v.literal('chat/cancel'), requestId }),
    v.strictObject({ type: v.literal('chat/new') }),
    v.strictObject({ type: v.literal('chat/retry'), requestId }),
    v.strictObject({ type: v.literal('chat/regenerate'), requestId }),
    // How often the panel paints a streaming reply (it paints less often when its paints are costly): the host posts
    // stream pieces no more often than that (core/chat/deltaCoalescer.ts).
    v.strictObject({
      type: v.literal('stream/pace'),
      intervalMs: v.pipe(v.number(), v.integer(), v.minValue(STREAM_PACE_MS.min), v.maxValue(STREAM_PACE_MS.max)),
    }),
    // "Ask gpt-4o" under a routed reply: that reply asked again with its stronger model (the host checks that the
    // reply is the latest and that the model is its alternative).
    v.strictObject({
      type: v.literal('chat/reask'),
      requestId,
      messageId,
      model: v.pipe(v.string(), v.regex(/^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,199}$/)),
    }),
    v.strictObject({ type: v.literal('conversations/list'), query: v.pipe(v.string(), v.maxLength(200)) }),
    // The model picker: list the offered models (refresh: ask the endpoint again), choose one for this workspace
    // (the host accepts only an offered id or "auto").
    v.strictObject({ type: v.literal('models/list'), refresh: v.boolean() }),
    v.strictObject({
      type: v.literal('model/choose'),
      model: v.pipe(v.string(), v.regex(/^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,199}$/)),
    }),
    v.strictObject({ type: v.literal('conversation/open'), id: conversationId }),
    // Older messages of the conversation on screen, which the panel was not sent yet: those before its first one
    // (answered with `conversation/older`).
    v.strictObject({
      type: v.literal('conversation/more'),
      conversationId,
      beforeId: messageId,
    }),
    v.strictObject({ type: v.literal('conversation/rename'), id: conversationId }),
    v.strictObject({ type: v.literal('conversation/delete'), id: conversationId }),
    v.strictObject({ type: v.literal('conversation/export'), format: v.picklist(['markdown', 'json', 'clipboard']) }),
    v.strictObject({
      type: v.literal('draft/estimate'),
      seq: v.pipe(v.number(), v.integer(), v.minValue(0)),
      text: v.pipe(v.string(), v.maxLength(MAX_DRAFT_CHARS)),
    }),
    // A link clicked in a reply: the host opens it only if it is http:, https: or mailto: (checked again there).
    v.strictObject({
      type: v.literal('link/open'),
      url: v.pipe(v.string(), v.maxLength(8192), v.regex(/^(https?|mailto):/i)),
    }),
    v.strictObject({
      type: v.literal('action/run'),
      action: v.picklist([
        'setApiKey',
        'openBilling',
        'retry',
        'newChat',
        'chooseModel',
        'showLog',
        'openSettings',
        'raiseBudget',
        'sendAnyway',
      ] as const satisfies readonly ErrorAction[]),
    }),
    // A code block's button: the block's text and its fence's language tag (a plain identifier, or '' for none).
    v.strictObject({
      type: v.literal('code/action'),
      action: v.picklist(CODE_BLOCK_ACTIONS),
      code: v.pipe(v.string(), v.maxLength(MAX_CODE_BLOCK_CHARS)),
      language: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_+#.-]{0,40}$/)),
    }),
  ]);
}
let webviewToHostSchema: ReturnType<typeof buildWebviewToHostSchema> | undefined;

export type WebviewToHost = v.InferOutput<ReturnType<typeof buildWebviewToHostSchema>>;

export type ParseResult = { ok: true; message: WebviewToHost } | { ok: false; error: string };

/** Validates a message that arrived from the webview. Never throws. */
export function parseWebviewMessage(raw: unknown): ParseResult {
  webviewToHostSchema ??= buildWebviewToHostSchema();
  const result = v.safeParse(webviewToHostSchema, raw);
  if (result.success) return { ok: true, message: result.output };
  const issue = result.issues[0];
  const where = issue.path?.map((p) => String(p.key)).join('.') || 'message';
  return { ok: false, error: `${where}: ${issue.message}` };
}

export interface PanelConfig {
  model: string;
  /** Whether an API key is available (SecretStorage or OPENAI_API_KEY); never the key itself. */
  hasApiKey: boolean;
  /** Where requests go, for display (no credentials). */
  endpoint: string;
}

/** Tally is waiting to try again: "Rate limited — retrying in 8 s (attempt 2 of 4)". */
export interface RetryNoticeView {
  reason: string;
  attempt: number;
  of: number;
  delayMs: number;
  /** Epoch ms when the next attempt starts (the panel counts down to it). */
  until: number;
}

/** What the draft would send and cost if sent now. */
export interface DraftEstimate {
  seq: number;
  model: string;
  /** Prompt tokens of the whole request (system + history that fits + draft), as the API will bill them. */
  promptTokens: number;
  maxReplyTokens: number;
  /** Older messages that would not fit and are left out. */
  droppedCount: number;
  /** Cost range: input only .. input + the whole reply budget; absent when the model's price is unknown. */
  minUsd?: number;
  maxUsd?: number;
  /** "input truncated from … to … tokens" when the draft alone does not fit. */
  truncation?: string;
}

/** One entry of the model picker: `auto` or a model id, with its context window and price per 1M tokens. */
export interface ModelOptionView {
  id: string;
  label: string;
  detail: string;
}

export interface ConversationRef {
  id: string;
  title: string;
}

export interface ConversationListItem extends ConversationRef {
  updatedAt: number;
  messageCount: number;
  /** The matching text, for a search result. */
  snippet?: string;
}

export type HostToWebview =
  | {
      type: 'init';
      config: PanelConfig;
      conversation: ConversationRef;
      /** The newest messages (core/conversations/messagePages.ts); `olderCount` more came before them (absent: 0). */
      messages: ChatMessage[];
      olderCount?: number;
      busyRequestId?: string;
    }
  | { type: 'conversation/opened'; conversation: ConversationRef; messages: ChatMessage[]; olderCount?: number }
  /** The answer to `conversation/more`: the messages just before `beforeId`, and how many are still older. */
  | {
      type: 'conversation/older';
      conversationId: string;
      beforeId: string;
      messages: ChatMessage[];
      olderCount: number;
    }
  | { type: 'conversation/titled'; conversation: ConversationRef }
  | { type: 'conversations/listed'; query: string; items: ConversationListItem[] }
  | { type: 'config/changed'; config: PanelConfig }
  | { type: 'chat/started'; requestId: string; user: ChatMessage; assistant: ChatMessage }
  | { type: 'chat/delta'; requestId: string; text: string }
  | { type: 'chat/retrying'; requestId: string; notice: RetryNoticeView }
  | { type: 'chat/notice'; requestId: string; text: string }
  | { type: 'chat/done'; requestId: string; assistant: ChatMessage }
  | { type: 'chat/error'; requestId: string; error: ErrorView; assistant?: ChatMessage }
  | { type: 'chat/removed'; fromMessageId: string }
  | { type: 'draft/estimated'; estimate: DraftEstimate }
  | { type: 'models/listed'; selected: string; options: ModelOptionView[] }
  | { type: 'chat/cleared'; conversation: ConversationRef };

/** A handler for every message type of a union: adding a message does not compile until it is handled. */
export type Handlers<U extends { type: string }> = {
  [K in U['type']]: (msg: Extract<U, { type: K }>) => void | Promise<void>;
};

/** Calls the handler for `msg.type`. */
export function dispatch<U extends { type: string }>(handlers: Handlers<U>, msg: U): void | Promise<void> {
  const handler = handlers[msg.type as U['type']] as (m: U) => void | Promise<void>;
  return handler(msg);
}
