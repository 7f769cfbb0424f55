// The panel's state and its pure reducer: every message from the host becomes a new state. No DOM here, so it is
// unit-tested in plain Node.
import type { ChatMessage } from '../shared/conversation';
import type { ErrorView } from '../shared/errors';
import type {
  ConversationListItem,
  ConversationRef,
  DraftEstimate,
  HostToWebview,
  ModelOptionView,
  PanelConfig,
  RetryNoticeView,
} from '../shared/protocol';

export interface PanelState {
  config?: PanelConfig;
  conversation?: ConversationRef;
  /** The conversation list (or search results) last received. */
  list?: { query: string; items: ConversationListItem[] };
  /** The conversation's messages the host has sent: its newest, and older pages as the list scrolls back to them. */
  messages: ChatMessage[];
  /** Messages before `messages[0]` the host has not sent yet (absent: none). */
  olderCount?: number;
  /** The request whose reply is arriving. */
  busyRequestId?: string;
  /** The last failure, shown under the conversation until the next send. */
  error?: { requestId: string; error: ErrorView };
  /** Tally is waiting to try again (before the first token). */
  retry?: { requestId: string; notice: RetryNoticeView };
  /** A warning about the current request (rate-limit headroom), shown until the next send. */
  notice?: { requestId: string; text: string };
  /** The live estimate of the draft being typed (the newest answered). */
  estimate?: DraftEstimate;
  /** The model picker: what is offered and what this workspace uses (`auto` or an id). */
  models?: { selected: string; options: ModelOptionView[] };
}

export const initialState: PanelState = { messages: [] };

function replaceMessage(messages: ChatMessage[], msg: ChatMessage): ChatMessage[] {
  const i = messages.findIndex((m) => m.id === msg.id);
  if (i < 0) return [...messages, msg];
  const next = messages.slice();
  next[i] = msg;
  return next;
}

/** `olderCount` when there are older messages to ask for. */
const older = (n: number | undefined): Pick<PanelState, 'olderCount'> => (n ? { olderCount: n } : {});

/** What survives a change of conversation: the draft's estimate, the conversation list and the model picker. */
function keep(state: PanelState): Pick<PanelState, 'estimate' | 'list' | 'models'> {
  return {
    ...(state.estimate ? { estimate: state.estimate } : {}),
    ...(state.list ? { list: state.list } : {}),
    ...(state.models ? { models: state.models } : {}),
  };
}

export function reduce(state: PanelState, msg: HostToWebview): PanelState {
  switch (msg.type) {
    case 'init':
      return {
        config: msg.config,
        conversation: msg.conversation,
        messages: msg.messages,
        ...older(msg.olderCount),
        ...(msg.busyRequestId ? { busyRequestId: msg.busyRequestId } : {}),
        ...keep(state),
      };
    case 'conversation/opened':
      return {
        ...(state.config ? { config: state.config } : {}),
        conversation: msg.conversation,
        messages: msg.messages,
        ...older(msg.olderCount),
        ...keep(state),
      };
    case 'conversation/older': {
      // Only the answer for the conversation on screen and the first message it has (an answer to an ask made before
      // a switch, or a duplicate, changes nothing).
      if (state.conversation?.id !== msg.conversationId || state.messages[0]?.id !== msg.beforeId) return state;
      const { olderCount: _, ...rest } = state;
      return { ...rest, messages: [...msg.messages, ...state.messages], ...older(msg.olderCount) };
    }
    case 'conversation/titled':
      return state.conversation?.id === msg.conversation.id ? { ...state, conversation: msg.conversation } : state;
    case 'conversations/listed':
      return { ...state, list: { query: msg.query, items: msg.items } };
    case 'config/changed': {
      const next = { ...state, config: msg.config };
      if (msg.config.hasApiKey && state.error?.error.kind === 'noApiKey') delete next.error;
      return next;
    }
    case 'chat/started':
      return {
        ...(state.config ? { config: state.config } : {}),
        ...(state.conversation ? { conversation: state.conversation } : {}),
        messages: [...state.messages, msg.user, msg.assistant],
        ...older(state.olderCount),
        busyRequestId: msg.requestId,
        ...keep(state),
      };
    case 'draft/estimated':
      return !state.estimate || msg.estimate.seq >= state.estimate.seq ? { ...state, estimate: msg.estimate } : state;
    case 'chat/notice':
      return { ...state, notice: { requestId: msg.requestId, text: msg.text } };
    case 'chat/retrying':
      return state.busyRequestId === msg.requestId
        ? { ...state, retry: { requestId: msg.requestId, notice: msg.notice } }
        : state;
    case 'chat/delta': {
      if (state.busyRequestId !== msg.requestId) return state;
      const last = state.messages[state.messages.length - 1];
      if (!last || last.role !== 'assistant') return state;
      const { retry: _, ...rest } = state;
      return { ...rest, messages: [...state.messages.slice(0, -1), { ...last, content: last.content + msg.text }] };
    }
    case 'chat/done': {
      const { busyRequestId: _, retry: _r, ...rest } = state;
      return { ...rest, messages: replaceMessage(state.messages, msg.assistant) };
    }
    case 'chat/error': {
      const { busyRequestId: _, retry: _r, ...rest } = state;
      let messages = state.messages;
      if (msg.assistant) messages = replaceMessage(messages, msg.assistant);
      else if (state.busyRequestId === msg.requestId) {
        const last = messages[messages.length - 1];
        if (last?.role === 'assistant' && last.content === '') messages = messages.slice(0, -1);
      }
      return { ...rest, messages, error: { requestId: msg.requestId, error: msg.error } };
    }
    case 'chat/removed': {
      const i = state.messages.findIndex((m) => m.id === msg.fromMessageId);
      const { error: _, ...rest } = state;
      return i < 0 ? rest : { ...rest, messages: state.messages.slice(0, i) };
    }
    case 'models/listed':
      return { ...state, models: { selected: msg.selected, options: msg.options } };
    case 'chat/cleared':
      return {
        ...(state.config ? { config: state.config } : {}),
        conversation: msg.conversation,
        messages: [],
        ...keep(state),
      };
  }
}
