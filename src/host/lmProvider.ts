// Tally's models in VS Code's own Chat (issue #16): a language model provider (vendor `tally`) whose models are Tally's
// registry plus the user's endpoint's, answered through Tally's pipeline (core/lm/lmRequest.ts: the user's endpoint and
// key, budgets, cache, retries, ledger, metrics). VS Code's parts are mapped to the neutral shapes of lmMessages.ts here.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import type { ToolDefinition } from '../core/api/chatClient';
import { parseToolArguments } from '../core/api/toolCalls';
import { errorMessage } from '../core/errorMessage';
import {
  toChatMessages,
  type LmMessage,
  type LmModelTraits,
  type LmPart,
  type LmResultPart,
} from '../core/lm/lmMessages';
import { countLmTokens, lmError, runLmRequest, type LmRequestDeps } from '../core/lm/lmRequest';
import { AUTO_MODEL } from '../core/models/modelCatalog';
import { REPLY_PRIMING_TOKENS } from '../core/tokens/chatFormat';
import type { ModelPicker } from './modelPicker';

export const LM_VENDOR = 'tally';

/** Shown before the reply when images were left out (the model does not take them). */
function droppedImagesNote(modelId: string, count: number): string {
  return count === 1
    ? l10n.t('*{0} does not take images: the image was left out.*', modelId)
    : l10n.t('*{0} does not take images: {1} images were left out.*', modelId, count);
}

export interface LmProviderDeps extends LmRequestDeps {
  picker: ModelPicker;
  newId(prefix: string): string;
  log: vscode.LogOutputChannel;
}

const JSON_MIME = /^(application|text)\/(.+\+)?json\b/i;

/** A tool result's parts: text, JSON data parts, anything else named by its mime type. */
function resultParts(content: readonly unknown[]): LmResultPart[] {
  return content.map((p): LmResultPart => {
    if (p instanceof vscode.LanguageModelTextPart) return { kind: 'text', value: p.value };
    const data = p as { mimeType?: unknown; data?: unknown };
    if (typeof data.mimeType === 'string' && data.data instanceof Uint8Array) {
      if (JSON_MIME.test(data.mimeType)) {
        const text = new TextDecoder().decode(data.data);
        try {
          return { kind: 'json', value: JSON.parse(text) as unknown };
        } catch {
          return { kind: 'text', value: text };
        }
      }
      if (data.mimeType.startsWith('text/')) return { kind: 'text', value: new TextDecoder().decode(data.data) };
      return { kind: 'other', mimeType: data.mimeType };
    }
    // LanguageModelPromptTsxPart and future kinds: their value as JSON, when it has one.
    const value = (p as { value?: unknown }).value;
    return value !== undefined ? { kind: 'json', value } : { kind: 'other', mimeType: 'unknown' };
  });
}

/** VS Code's request messages in the neutral shape (instanceof checks against the running VS Code's classes). */
export function toLmMessages(messages: readonly vscode.LanguageModelChatRequestMessage[]): LmMessage[] {
  return messages.map((m) => ({
    role:
      m.role === vscode.LanguageModelChatMessageRole.Assistant
        ? 'assistant'
        : m.role === vscode.LanguageModelChatMessageRole.User
          ? 'user'
          : 'system',
    parts: m.content.map((p): LmPart => {
      if (p instanceof vscode.LanguageModelTextPart) return { kind: 'text', value: p.value };
      if (p instanceof vscode.LanguageModelToolCallPart)
        return { kind: 'toolCall', callId: p.callId, name: p.name, input: p.input };
      if (p instanceof vscode.LanguageModelToolResultPart)
        return { kind: 'toolResult', callId: p.callId, content: resultParts(p.content) };
      const data = p as { mimeType?: unknown; data?: unknown };
      const bytes = data.data instanceof Uint8Array ? data.data : undefined;
      return {
        kind: 'data',
        mimeType: typeof data.mimeType === 'string' ? data.mimeType : 'unknown',
        byteLength: bytes?.byteLength ?? 0,
        ...(bytes ? { bytes } : {}),
      };
    }),
  }));
}

export function toToolDefinitions(tools: readonly vscode.LanguageModelChatTool[] | undefined): ToolDefinition[] {
  return (tools ?? []).map((t) => ({
    name: t.name,
    description: t.description,
    ...(t.inputSchema && typeof t.inputSchema === 'object'
      ? { parameters: t.inputSchema as Record<string, unknown> }
      : {}),
  }));
}

export class TallyLanguageModels implements vscode.LanguageModelChatProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;

  constructor(private readonly deps: LmProviderDeps) {}

  /** The endpoint's list or the key changed: VS Code asks for the models again. */
  refresh(): void {
    this.changed.fire();
  }

  async provideLanguageModelChatInformation(): Promise<vscode.LanguageModelChatInformation[]> {
    const options = await this.deps.picker.options();
    return options
      .filter((o) => o.id !== AUTO_MODEL)
      .map((o) => {
        const m = this.deps.resolveModel(o.id);
        return {
          id: o.id,
          name: `${o.id} (Tally)`, // a name and the brand: the same in every language
          family: m.baseId ?? o.id,
          version: o.id,
          tooltip: `Tally · ${o.detail}`,
          detail: o.detail.split(' · ').slice(1).join(' · '),
          maxInputTokens: Math.max(1, m.contextWindow - m.maxOutputTokens),
          maxOutputTokens: m.maxOutputTokens,
          capabilities: { toolCalling: true, imageInput: m.imageInput === true },
        };
      });
  }

  async provideLanguageModelChatResponse(
    model: vscode.LanguageModelChatInformation,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const requestId = this.deps.newId('lm');
    const tools = toToolDefinitions(options.tools);
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    if (token.isCancellationRequested) abort.abort();
    try {
      const { messages: chat, notes } = toChatMessages(toLmMessages(messages), this.traits(model.id));
      if (notes.droppedParts.length)
        this.deps.log.info(`VS Code chat ${requestId}: left out ${notes.droppedParts.join(', ')}`);
      if (notes.droppedImages)
        progress.report(new vscode.LanguageModelTextPart(`${droppedImagesNote(model.id, notes.droppedImages)}\n\n`));
      await runLmRequest(
        this.deps,
        {
          requestId,
          modelId: model.id,
          messages: chat,
          ...(tools.length
            ? {
                tools,
                toolChoice: options.toolMode === vscode.LanguageModelChatToolMode.Required ? 'required' : 'auto',
              }
            : {}),
        },
        abort.signal,
        {
          text: (t) => progress.report(new vscode.LanguageModelTextPart(t)),
          toolCall: (c) => progress.report(new vscode.LanguageModelToolCallPart(c.id, c.name, parseToolArguments(c))),
        },
      );
    } catch (e) {
      const error = lmError(e);
      this.deps.log.warn(`VS Code chat ${requestId}: ${error.kind}: ${errorMessage(error)}`);
      throw new Error(`Tally: ${error.message}`, { cause: e }); // the message is translated; the brand is not
    } finally {
      sub.dispose();
    }
  }

  async provideTokenCount(
    model: vscode.LanguageModelChatInformation,
    text: string | vscode.LanguageModelChatRequestMessage,
    token: vscode.CancellationToken,
  ): Promise<number> {
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      const resolved = this.deps.resolveModel(model.id);
      if (typeof text === 'string') return await this.deps.tokenizers.countAsync(text, resolved.encoding, abort.signal);
      const { messages } = toChatMessages(toLmMessages([text]), this.traits(model.id));
      // One message's own tokens: the whole-request framing (reply priming) is not part of it.
      return (await countLmTokens(this.deps.tokenizers, resolved, messages, [], abort.signal)) - REPLY_PRIMING_TOKENS;
    } finally {
      sub.dispose();
    }
  }

  dispose(): void {
    this.changed.dispose();
  }

  /** Whether `modelId` takes images, and the registry id whose image formula counts them. */
  private traits(modelId: string): LmModelTraits {
    const m = this.deps.resolveModel(modelId);
    return { modelId: m.baseId ?? m.id, imageInput: m.imageInput === true };
  }
}

/** Registers the provider and asks VS Code for its models once (that is what makes them appear in the picker). */
export function registerLanguageModels(deps: LmProviderDeps): vscode.Disposable[] {
  const provider = new TallyLanguageModels(deps);
  const registration = vscode.lm.registerLanguageModelChatProvider(LM_VENDOR, provider);
  void Promise.resolve(vscode.lm.selectChatModels({ vendor: LM_VENDOR })).then(
    (models) => deps.log.info(`VS Code chat: ${models.length} Tally models offered`),
    (e: unknown) => deps.log.warn(`VS Code chat: models not offered: ${errorMessage(e)}`),
  );
  return [provider, registration, deps.picker.onDidListModels(() => provider.refresh())];
}
