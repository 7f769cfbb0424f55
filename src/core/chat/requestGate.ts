// Whether a send may go out, and what it sends: the endpoint (no key or a refused endpoint stops it), the planned
// request (a prompt that cannot fit stops it), the cached reply if the cache has one, and on a cache miss the
// budget's verdict (a refusal stops it). Each stop is reported to the sink; nothing is sent and the conversation is
// not touched then. Also the one place a request is planned from the settings, for the live estimate and the send.
import * as l10n from '@vscode/l10n';
import type { ChatMessage } from '../../shared/conversation';
import type { ErrorView } from '../../shared/errors';
import type { ChatRequest } from '../api/chatClient';
import type { Endpoint } from '../api/endpoint';
import { EndpointRefusedError } from '../api/endpointPolicy';
import { cacheInputFor, type CacheKeyInput } from '../cache/cacheKey';
import type { CacheHit } from '../cache/responseCache';
import type { Conversation } from '../conversations/codec';
import type { ResolvedModel } from '../tokens/models';
import type { ChatServiceDeps, ChatSettings, ChatSink, SendOptions } from './chatInterfaces';
import { ContextBudgetError, type RequestPlan, type RequestPlanner } from './requestPlanner';
import { chooseModel } from './modelChoice';
import type { RouteDecision } from '../routing/router';

export type RequestGateDeps = Pick<
  ChatServiceDeps,
  'endpoint' | 'settings' | 'resolveModel' | 'logger' | 'cache' | 'accountant' | 'tokenizers'
>;

export interface SendToAdmit {
  requestId: string;
  text: string;
  options: SendOptions;
  signal: AbortSignal;
  /** The conversation the send belongs to, read when it is needed (it is the one on screen at that moment). */
  conversation(): Conversation;
}

/** A send that may go out, with everything decided before it. */
export interface AdmittedRequest {
  endpoint: Endpoint;
  settings: ChatSettings;
  model: ResolvedModel;
  /** The router's decision, when it chose the model. */
  route: RouteDecision | undefined;
  plan: RequestPlan;
  request: ChatRequest;
  cacheInput: CacheKeyInput;
  /** The cached reply; then no budget was checked, because a cached reply costs nothing. */
  hit: CacheHit | undefined;
  /** The budget's warning (e.g. 80 % of a budget), when it allowed the send but the user should know. */
  budgetWarning: string | undefined;
}

/** Made at each use: the text is read from the bundle, which is loaded after this module. */
const noKey = (): ErrorView => ({
  kind: 'noApiKey',
  message: l10n.t('No API key is set. Run "Tally: Set API Key" or set the OPENAI_API_KEY environment variable.'),
  actions: ['setApiKey'],
});

/** What the send will send, or undefined after the sink was told why it will not (or it was cancelled). */
export async function admitRequest(
  deps: RequestGateDeps,
  planner: RequestPlanner,
  send: SendToAdmit,
  sink: ChatSink,
): Promise<AdmittedRequest | undefined> {
  const endpoint = await resolveEndpoint(deps, sink);
  if (endpoint === null) return undefined;
  if (!endpoint) {
    sink.error(noKey());
    return undefined;
  }
  const settings = deps.settings();
  const choice = await chooseModel(deps, settings, send.text, send.options, send.signal);
  const { model } = choice;
  const plan = await planOrReport(planner, send, settings, model, sink);
  if (!plan) return undefined;
  const request: ChatRequest = {
    model: choice.modelId,
    messages: plan.messages,
    maxTokens: plan.maxReplyTokens,
    ...(settings.temperature !== undefined ? { temperature: settings.temperature } : {}),
  };
  // A cached reply costs nothing, so it is looked up before the budget check: a budget never refuses a free answer.
  const cacheInput = cacheInputFor(endpoint.baseUrl, request);
  const hit = await deps.cache?.lookup(cacheInput, {
    bypass: send.options.bypassCache === true,
    maxReplyChars: settings.maxReplyChars,
  });
  const verdict = hit
    ? undefined
    : await deps.accountant?.check({
        requestId: send.requestId,
        conversationId: send.conversation().id,
        model,
        promptTokens: plan.promptTokens,
        maxReplyTokens: plan.maxReplyTokens,
        ...(plan.maxUsd !== undefined ? { maxUsd: plan.maxUsd } : {}),
        ...(send.options.ignoreBudget ? { ignoreBudget: true } : {}),
      });
  if (verdict?.refuse) {
    sink.error(verdict.refuse);
    return undefined;
  }
  return {
    endpoint,
    settings,
    model,
    route: choice.route,
    plan,
    request,
    cacheInput,
    hit,
    budgetWarning: verdict?.warning,
  };
}

/** The plan for sending `text` after `history` now, from settings read once by the caller (estimate and send alike). */
export function planRequest(
  planner: RequestPlanner,
  history: readonly ChatMessage[],
  settings: ChatSettings,
  model: ResolvedModel,
  text: string,
  extra: { inputLabel?: string; signal?: AbortSignal },
): Promise<RequestPlan> {
  return planner.plan({
    model,
    systemPrompt: settings.systemPrompt,
    history,
    text,
    maxReplyTokens: settings.maxReplyTokens,
    ...extra,
  });
}

/** The endpoint to send to; null (after telling the sink) when the configured one is refused. */
async function resolveEndpoint(
  deps: Pick<RequestGateDeps, 'endpoint' | 'logger'>,
  sink: ChatSink,
): Promise<Endpoint | undefined | null> {
  try {
    return await deps.endpoint();
  } catch (e) {
    if (!(e instanceof EndpointRefusedError)) throw e;
    deps.logger.warn(`chat: ${e.message}`);
    sink.error(e.view);
    return null;
  }
}

/** The plan, or undefined when the send was cancelled meanwhile or (after telling the sink) the prompt cannot fit. */
async function planOrReport(
  planner: RequestPlanner,
  send: SendToAdmit,
  settings: ChatSettings,
  model: ResolvedModel,
  sink: ChatSink,
): Promise<RequestPlan | undefined> {
  const { inputLabel } = send.options;
  try {
    return await planRequest(planner, send.conversation().messages, settings, model, send.text, {
      ...(inputLabel ? { inputLabel } : {}),
      signal: send.signal,
    });
  } catch (e) {
    if (send.signal.aborted) return undefined;
    if (e instanceof ContextBudgetError) {
      sink.error({
        kind: 'contextTooLong',
        message: l10n.t('{0} Shorten the system prompt (tally.systemPrompt) or lower tally.maxReplyTokens.', e.message),
        actions: ['openSettings'],
      });
      return undefined;
    }
    throw e;
  }
}
