// Which model one request goes to: an explicit model (re-ask with the stronger model, a picker's choice), else the
// router when the request names a task (code actions) or the model setting is `auto` (panel chat, task `chat`),
// else the model setting. The send and the live estimate both ask here, so the estimate prices the model the send
// will use.
import * as l10n from '@vscode/l10n';
import type { ChatMessage, ReplyRoute } from '../../shared/conversation';
import { AUTO_MODEL, EXPECTED_REPLY_TOKENS, route, type RouteDecision } from '../routing/router';
import { routingTable } from '../routing/routingTable';
import { isTaskType, type RouteRequest } from '../routing/taskTypes';
import type { ResolvedModel } from '../tokens/models';
import type { ChatServiceDeps, ChatSettings, SendOptions } from './chatInterfaces';

export interface ModelChoice {
  /** The id sent as the request's `model`. */
  modelId: string;
  model: ResolvedModel;
  /** Set when the router chose. */
  route?: RouteDecision;
}

export type ModelChoiceDeps = Pick<ChatServiceDeps, 'resolveModel' | 'tokenizers'>;

/** The model for sending `text` now. Routing counts `text` in the encoding of the task's cheap model. */
export async function chooseModel(
  deps: ModelChoiceDeps,
  settings: ChatSettings,
  text: string,
  options: Pick<SendOptions, 'model' | 'route'>,
  signal?: AbortSignal,
): Promise<ModelChoice> {
  const explicit = options.model?.trim();
  if (explicit && explicit !== AUTO_MODEL) return { modelId: explicit, model: deps.resolveModel(explicit) };
  const request =
    options.route ?? (explicit === AUTO_MODEL || settings.model === AUTO_MODEL ? { task: 'chat' } : undefined);
  if (!request) return { modelId: settings.model, model: deps.resolveModel(settings.model) };
  const table = routingTable(settings.routing);
  const encoding = deps.resolveModel(table[request.task].simple).encoding;
  const promptTokens = await deps.tokenizers.countAsync(text, encoding, signal);
  const decision = route(
    { ...request, promptTokens },
    table,
    (id) => deps.resolveModel(id),
    Math.min(settings.maxReplyTokens, EXPECTED_REPLY_TOKENS),
  );
  return { modelId: decision.model, model: deps.resolveModel(decision.model), route: decision };
}

/** The route request a stored decision came from (a retry re-routes the same task with the same measures). */
export function routeRequestOf(stored: ReplyRoute): Omit<RouteRequest, 'promptTokens'> | undefined {
  if (!isTaskType(stored.task)) return undefined;
  const { lines, nesting, branches, files, diagnostics } = stored.signals;
  return {
    task: stored.task,
    ...(stored.label !== undefined ? { label: stored.label } : {}),
    ...(lines !== undefined ? { lines } : {}),
    ...(nesting !== undefined ? { nesting } : {}),
    ...(branches !== undefined ? { branches } : {}),
    ...(files !== undefined ? { files } : {}),
    ...(diagnostics !== undefined ? { diagnostics } : {}),
  };
}

/** Why reply `messageId` cannot be asked again with `model`, or undefined when it can: it must be the latest reply
 *  and `model` its routing alternative (the panel's message is not trusted to name any other model). */
export function reaskRefusal(history: readonly ChatMessage[], messageId: string, model: string): string | undefined {
  let last: ChatMessage | undefined;
  for (let i = history.length - 1; i >= 0 && !last; i--) if (history[i].role === 'assistant') last = history[i];
  if (!last || last.id !== messageId)
    return l10n.t('Only the latest reply can be asked again with another model. Ask the question again to compare.');
  if (last.route?.alternative?.model !== model)
    return l10n.t('This reply was not routed with {0} as its alternative.', model);
  return undefined;
}
