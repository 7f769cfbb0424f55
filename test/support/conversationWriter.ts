// The child process of the crash-safety test (test/unit/crashSafety.test.ts):
//   node --import tsx test/support/conversationWriter.ts <root> <seed>
// Opens a ConversationStore on <root>, resumes the conversations found there, and keeps appending messages to them
// for ever: user messages at once, assistant replies streamed in chunks through debounced saves (scheduleSave), each
// message finished by save() or by scheduleSave()+flush(). Only after that promise resolved does it print
// `saved <id> <messageCount>`. The parent kills it with SIGKILL at random moments and checks what survived.
// Message i of conversation `id` is contentOf(id, i), so every stored message can be verified.
import { ConversationStore } from '../../src/core/conversations/store';
import type { Conversation } from '../../src/core/conversations/codec';
import { newId } from '../../src/core/ids';
import { silentLogger, systemClock } from '../../src/core/ports';
import type { ChatMessage } from '../../src/shared/conversation';
import { seededRandom } from './seededRandom';

export const MAX_CONVERSATIONS = 5;
/** Characters per streamed chunk. */
const CHUNK = 180;

/** Message i of conversation `id`: deterministic, of varying length (up to ~1.5 KB), with code fences and non-ASCII. */
export function contentOf(id: string, i: number): string {
  const body = `${id} message ${i}: ${'αβγ ✓ 😀 '.repeat(i % 7)}${'lorem ipsum '.repeat((i * 37) % 120)}`;
  return i % 3 === 0 ? `${body}\n\`\`\`ts\nconst v${i} = ${JSON.stringify(body.slice(0, 24))};\n\`\`\`\n` : body;
}

export const roleOf = (i: number): ChatMessage['role'] => (i % 2 ? 'assistant' : 'user');

export { seededRandom };

/** A message is finished when it has its whole content and, for a reply, the complete status. */
const finished = (c: Conversation, i: number): boolean =>
  c.messages[i].content === contentOf(c.id, i) && (roleOf(i) === 'user' || c.messages[i].status === 'complete');

async function run(root: string, seed: number): Promise<never> {
  const random = seededRandom(seed);
  const store = new ConversationStore({ root, logger: silentLogger, clock: systemClock, newId, debounceMs: 3 });
  const conversations: Conversation[] = [];
  for (const summary of await store.list()) {
    const c = await store.load(summary.id);
    if (!c) throw new Error(`conversation ${summary.id} is listed but does not load`);
    // A reply cut off by the previous kill is dropped (it was never reported saved) and written again.
    while (c.messages.length > 0 && !finished(c, c.messages.length - 1)) c.messages.pop();
    conversations.push(c);
  }
  for (;;) {
    if (conversations.length === 0 || (conversations.length < MAX_CONVERSATIONS && random() < 0.15))
      conversations.push(store.create());
    const c = conversations[Math.floor(random() * conversations.length)];
    const i = c.messages.length;
    const full = contentOf(c.id, i);
    if (roleOf(i) === 'user') {
      c.messages.push({ id: `m${i}`, role: 'user', content: full, createdAt: Date.now() });
    } else {
      const reply: ChatMessage = {
        id: `m${i}`,
        role: 'assistant',
        content: '',
        createdAt: Date.now(),
        model: 'test-model',
        status: 'streaming',
      };
      c.messages.push(reply);
      for (let k = 0; k < full.length; k += CHUNK) {
        reply.content = full.slice(0, k + CHUNK);
        store.scheduleSave(c);
        await new Promise((resolve) => setTimeout(resolve, random() < 0.3 ? 2 : 0));
      }
      reply.status = 'complete';
      reply.usage = { promptTokens: i * 10, completionTokens: full.length, totalTokens: i * 10 + full.length };
    }
    if (random() < 0.5) await store.save(c);
    else {
      store.scheduleSave(c);
      await store.flush();
    }
    process.stdout.write(`saved ${c.id} ${c.messages.length}\n`);
  }
}

if (require.main === module) {
  const [root, seed] = process.argv.slice(2);
  if (!root) {
    process.stderr.write('usage: conversationWriter.ts <root> [seed]\n');
    process.exit(2);
  }
  run(root, Number(seed ?? 1)).catch((e: unknown) => {
    process.stderr.write(`conversationWriter failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
