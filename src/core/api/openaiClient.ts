// The one file that talks to the `openai` SDK. The SDK is imported on first use (never at activation); in the
// bundle `import('openai')` becomes a require of dist/lazy/openai.js (see esbuild.js).
// The SDK's own retries are off: Tally's retry policy (retry.ts) is the only one, so attempts never multiply.
import * as l10n from '@vscode/l10n';
import type { Usage } from '../../shared/conversation';
import type { ChatClient, ChatRequest, StreamEvent } from './chatClient';
import type { Endpoint } from './endpoint';
import { networkMessage, TallyError } from './errors';
import { toWireMessage, wireTools } from './toolCalls';

type OpenAIModule = typeof import('openai');
type OpenAIClient = InstanceType<OpenAIModule['default']>;

/** Maps the SDK's usage object to ours. */
export function toUsage(u: {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
}): Usage {
  const usage: Usage = {
    promptTokens: u.prompt_tokens,
    completionTokens: u.completion_tokens,
    totalTokens: u.total_tokens,
  };
  const cached = u.prompt_tokens_details?.cached_tokens;
  if (cached) usage.cachedPromptTokens = cached;
  return usage;
}

export interface OpenAIChatClientOptions {
  /** SDK timeout per attempt; the retry policy and stall detection add their own limits. */
  timeoutMs?: number;
  /** Loads the SDK; replaced in tests that count loads. */
  load?: () => Promise<OpenAIModule>;
}

/** ChatClient over the real `openai` SDK. Keeps one SDK client per endpoint (base URL + key). */
export class OpenAIChatClient implements ChatClient {
  private sdk: Promise<OpenAIModule> | undefined;
  private client: { key: string; value: OpenAIClient } | undefined;

  constructor(private readonly options: OpenAIChatClientOptions = {}) {}

  /** True once the SDK has been requested (for the "not loaded at activation" check). */
  get loaded(): boolean {
    return this.sdk !== undefined;
  }

  private async clientFor(endpoint: Endpoint): Promise<OpenAIClient> {
    const key = `${endpoint.baseUrl}\n${endpoint.apiKey}`;
    if (this.client?.key === key) return this.client.value;
    this.sdk ??= (this.options.load ?? (() => import('openai')))();
    const { default: OpenAI } = await this.sdk;
    const value = new OpenAI({
      apiKey: endpoint.apiKey,
      baseURL: endpoint.baseUrl,
      maxRetries: 0,
      timeout: this.options.timeoutMs ?? 10 * 60_000,
    });
    this.client = { key, value };
    return value;
  }

  async *stream(endpoint: Endpoint, request: ChatRequest, signal: AbortSignal): AsyncIterable<StreamEvent> {
    const client = await this.clientFor(endpoint);
    const sdk = await this.sdk!;
    try {
      const {
        data: stream,
        response,
        request_id,
      } = await client.chat.completions
        .create(
          {
            model: request.model,
            messages: request.messages.map(toWireMessage),
            ...wireTools(request),
            stream: true,
            stream_options: { include_usage: true },
            ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
            ...(request.maxTokens !== undefined ? { max_completion_tokens: request.maxTokens } : {}),
          },
          { signal },
        )
        .withResponse();
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name] = value;
      });
      yield { type: 'response', requestId: request_id ?? undefined, headers };
      for await (const chunk of stream) {
        const choice = chunk.choices?.[0];
        const text = choice?.delta?.content;
        if (text) yield { type: 'delta', text };
        for (const call of choice?.delta?.tool_calls ?? [])
          yield {
            type: 'toolCall',
            index: call.index,
            ...(call.id ? { id: call.id } : {}),
            ...(call.function?.name ? { name: call.function.name } : {}),
            arguments: call.function?.arguments ?? '',
          };
        if (choice?.finish_reason) yield { type: 'finish', reason: choice.finish_reason };
        if (chunk.usage) yield { type: 'usage', usage: toUsage(chunk.usage) };
      }
    } catch (e) {
      throw translateSdkError(sdk, e);
    }
  }

  /**
   * The model ids the endpoint lists (`GET /models`), unchecked (see cleanListedIds). The body is read with a size
   * bound: an endpoint is not trusted to send a small list.
   */
  async listModelIds(endpoint: Endpoint, signal: AbortSignal, maxBytes = MAX_MODEL_LIST_BYTES): Promise<unknown[]> {
    const client = await this.clientFor(endpoint);
    const sdk = await this.sdk!;
    try {
      const response = await client.models.list({ signal, timeout: 15_000 }).asResponse();
      if (!response.ok)
        throw new TallyError('badRequest', l10n.t("The endpoint's model list answered {0}.", response.status), false);
      const text = await readBounded(response, maxBytes);
      const body = JSON.parse(text) as { data?: unknown };
      if (!Array.isArray(body.data))
        throw new TallyError('badRequest', l10n.t('The endpoint sent no model list.'), false);
      return body.data.map((m: unknown) => (m && typeof m === 'object' ? (m as { id?: unknown }).id : undefined));
    } catch (e) {
      if (e instanceof SyntaxError)
        throw new TallyError('badRequest', l10n.t('The endpoint sent a model list that is not JSON.'), false);
      throw translateSdkError(sdk, e);
    }
  }
}

/** Largest model list read (bytes): OpenAI's own list is ~10 KB; OpenRouter's with descriptions ~1 MB. */
export const MAX_MODEL_LIST_BYTES = 4 * 1024 * 1024;

async function readBounded(response: Response, maxBytes: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new TallyError(
        'badRequest',
        l10n.t("The endpoint's model list is larger than {0} bytes.", maxBytes),
        false,
      );
    }
    parts.push(decoder.decode(value, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join('');
}

/**
 * The SDK's connection-level errors carry no status and a generic name ('Error'), so they are told apart here, where
 * the SDK's classes are known, and turned into TallyErrors of the right kind. HTTP errors (with a status) and aborts
 * pass through unchanged: errors.ts classifies those by their status, code and headers.
 */
function translateSdkError(sdk: OpenAIModule, e: unknown): unknown {
  if (e instanceof sdk.APIUserAbortError) return e;
  if (e instanceof sdk.APIConnectionTimeoutError)
    return new TallyError('timeout', l10n.t('The API did not answer in time.'), true);
  if (e instanceof sdk.APIConnectionError) {
    const cause =
      e.cause instanceof Error
        ? `${e.cause.message}${(e.cause as { cause?: Error }).cause ? `: ${(e.cause as { cause?: Error }).cause?.message}` : ''}`
        : e.message;
    return new TallyError('network', networkMessage(), true, cause);
  }
  return e;
}
