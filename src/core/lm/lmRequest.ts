// One request from VS Code's own Chat view (issue #16) through Tally's pipeline: the user's endpoint and key (refused
// clearly without a key), exact prompt tokens, the budget check (a refusal answers with its reason and nothing is
// sent), the response cache for plain text requests, the same retry loop and time limits as the panel, tool calls
// assembled from the stream, and the usage ledger and request metrics at the end. No vscode import: the host adapts
// VS Code's messages (lmMessages.ts) and its progress/cancellation to this.
import * as l10n from '@vscode/l10n';
import type { ChatClient, ChatRequest, ChatRequestMessage, ToolCall, ToolDefinition } from '../api/chatClient';
import type { Endpoint } from '../api/endpoint';
import { TallyError, classifyError } from '../api/errors';
import { streamReply, type AttemptRecord, type StreamOutcome } from '../api/replyStream';
import { ToolCallAssembler } from '../api/toolCalls';
import type { ResponseCache } from '../cache/responseCache';
import { cacheInputFor } from '../cache/cacheKey';
import type { ChatSettings } from '../chat/chatInterfaces';
import { replyStreamDeps } from '../chat/replySource';
import type { FinishedRequest } from '../metrics/makeMetric';
import type { Clock, Logger } from '../ports';
import { REPLY_PRIMING_TOKENS, TOKENS_PER_MESSAGE } from '../tokens/chatFormat';
import type { ResolvedModel } from '../tokens/models';
import type { Tokenizers } from '../tokens/tokenizers';
import { costOf } from '../tokens/models';
import type { Accountant } from '../usage/accounting';
import type { UsageSurface } from '../usage/surfaces';
import { countableTexts } from './lmMessages';
import { surfaceOfTools } from './lmSurface';

export interface LmRequestDeps {
  client: ChatClient;
  endpoint(): Promise<Endpoint | undefined>;
  settings(): ChatSettings;
  tokenizers: Tokenizers;
  resolveModel(id: string): ResolvedModel;
  accountant?: Accountant;
  cache?: ResponseCache;
  onRequestFinished?(request: FinishedRequest): void;
  logger: Logger;
  clock: Clock;
  random?: () => number;
}

export interface LmRequest {
  requestId: string;
  modelId: string;
  messages: ChatRequestMessage[];
  tools?: ToolDefinition[];
  toolChoice?: 'auto' | 'required';
  /** For the ledger; default: `agent` when a tool offered can change the workspace (Agent mode), else `chatView`
   *  (Ask, @tally): lmSurface.ts. */
  surface?: Extract<UsageSurface, 'chatView' | 'agent'>;
}

export interface LmOutput {
  text(text: string): void;
  /** A whole tool call, once the stream has ended. */
  toolCall(call: ToolCall): void;
}

/** Tokens of `messages` (and tool definitions) as the chat format counts them, in `model`'s encoding; an image counts
 *  as its estimate (imageTokens.ts). */
export async function countLmTokens(
  tokenizers: Tokenizers,
  model: ResolvedModel,
  messages: readonly ChatRequestMessage[],
  tools: readonly ToolDefinition[] = [],
  signal?: AbortSignal,
): Promise<number> {
  let total = REPLY_PRIMING_TOKENS;
  const count = (text: string) => (text ? tokenizers.countAsync(text, model.encoding, signal) : Promise.resolve(0));
  for (const m of messages) {
    total += TOKENS_PER_MESSAGE + (await count(m.role));
    for (const text of countableTexts(m)) total += await count(text);
    if (m.role === 'user') for (const image of m.images ?? []) total += image.tokens;
  }
  // Tool definitions are sent as JSON schema; their exact framing is not published: their JSON is counted.
  for (const t of tools) total += await count(JSON.stringify(t));
  return total;
}

/** Runs one request; resolves when the reply has ended, or rejects with a TallyError the host shows as is. */
export async function runLmRequest(
  deps: LmRequestDeps,
  req: LmRequest,
  signal: AbortSignal,
  out: LmOutput,
): Promise<void> {
  const { clock, logger } = deps;
  const settings = deps.settings();
  const endpoint = await deps.endpoint();
  if (!endpoint)
    throw new TallyError('noApiKey', l10n.t('Tally has no API key: run "Tally: Set API Key", then ask again.'), false);
  const model = deps.resolveModel(req.modelId);
  const promptTokens = await countLmTokens(deps.tokenizers, model, req.messages, req.tools, signal);
  const maxReplyTokens = Math.min(settings.maxReplyTokens, model.maxOutputTokens);
  const maxUsd = costOf({ promptTokens, completionTokens: maxReplyTokens }, model).usd;
  const verdict = await deps.accountant?.check({
    requestId: req.requestId,
    conversationId: 'vscode-chat',
    model,
    promptTokens,
    maxReplyTokens,
    ...(maxUsd !== undefined ? { maxUsd } : {}),
  });
  if (verdict?.refuse) throw new TallyError(verdict.refuse.kind, verdict.refuse.message, false);
  if (verdict?.warning) logger.warn(`VS Code chat ${req.requestId}: ${verdict.warning}`);

  const request: ChatRequest = {
    model: req.modelId,
    messages: req.messages,
    maxTokens: maxReplyTokens,
    ...(settings.temperature !== undefined ? { temperature: settings.temperature } : {}),
    ...(req.tools?.length ? { tools: req.tools, toolChoice: req.toolChoice ?? 'auto' } : {}),
  };
  // Only plain text requests are cached: a reply with tool calls depends on the workspace the tools read, and the
  // cache key holds the messages' text, not their images.
  const cacheable =
    !req.tools?.length && req.messages.every((m) => m.role !== 'tool' && !(m.role === 'user' && m.images?.length));
  const cacheInput = cacheInputFor(endpoint.baseUrl, request);
  const hit = cacheable ? await deps.cache?.lookup(cacheInput) : undefined;
  const startedAt = clock.now();
  const attempts: AttemptRecord[] = [];
  let text = '';
  const assembler = new ToolCallAssembler();
  let outcome: StreamOutcome;
  if (hit) {
    text = hit.entry.reply;
    out.text(text);
    outcome = { kind: 'complete', ...(hit.entry.usage ? { usage: hit.entry.usage } : {}), finishReason: null };
  } else {
    outcome = await streamReply(
      { ...replyStreamDeps(deps, settings), onAttempt: (a) => attempts.push(a) },
      req.requestId,
      endpoint,
      request,
      signal,
      {
        delta: (t) => {
          text += t;
          out.text(t);
          deps.accountant?.progress(req.requestId, text.length);
        },
        retrying: (n) => logger.info(`VS Code chat ${req.requestId}: ${n.reason}, attempt ${n.attempt} of ${n.of}`),
        toolCall: (f) => assembler.add(f),
      },
    );
  }
  const endedAt = clock.now();
  const kind = outcome.kind === 'complete' ? 'complete' : outcome.kind === 'stopped' ? 'stopped' : 'failed';
  const cost = await deps.accountant?.finish({
    requestId: req.requestId,
    conversationId: 'vscode-chat',
    model,
    ...(outcome.kind === 'complete' && outcome.usage ? { usage: outcome.usage } : {}),
    promptTokens,
    completionText: text,
    outcome: kind,
    cacheHit: hit !== undefined,
    ...(hit?.entry.usage ? { savedUsage: hit.entry.usage } : {}),
    surface: req.surface ?? surfaceOfTools(req.tools),
  });
  deps.onRequestFinished?.({
    requestId: req.requestId,
    model: req.modelId,
    baseUrl: endpoint.baseUrl,
    startedAt,
    endedAt,
    outcome: outcome.kind === 'failed' && outcome.afterTokens ? 'interrupted' : kind,
    ...(outcome.kind === 'failed' ? { errorKind: outcome.failure.view.kind } : {}),
    cacheHit: hit !== undefined,
    attempts,
    ...(cost ? { usage: cost.usage } : {}),
    ...(cost?.costUsd !== undefined ? { costUsd: cost.costUsd } : {}),
    ...(cost?.savedUsd !== undefined ? { savedUsd: cost.savedUsd } : {}),
  });
  if (outcome.kind === 'failed') {
    const { view } = outcome.failure;
    throw new TallyError(view.kind, view.message, false);
  }
  if (outcome.kind === 'stopped') return;
  for (const call of assembler.finish((i) => `call_tally_${req.requestId}_${i}`)) out.toolCall(call);
  if (!hit && cacheable && text)
    deps.cache?.storeLater(cacheInput, {
      text,
      ...(outcome.usage ? { usage: outcome.usage } : {}),
      ...(outcome.finishReason ? { finishReason: outcome.finishReason } : {}),
    });
}

/** A caught value as the TallyError the host shows (its message is safe to show: no key, no content). */
export function lmError(e: unknown): TallyError {
  if (e instanceof TallyError) return e;
  const { view, retryable } = classifyError(e);
  return new TallyError(view.kind, view.message, retryable);
}
