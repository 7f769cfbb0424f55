// Saving a conversation, through the real ConversationStore (src/core/conversations/store.ts): a 2,000-message
// conversation is built one message at a time, saved after every message as the chat does after each turn. Printed:
// the time per save around 100 messages and around 2,000 (their ratio: 1× means a save costs what changed, not the
// conversation's length), and the bytes the process wrote (Linux /proc/self/io `wchar`: every write() of the
// process, the store's fsynced appends and snapshots included) against the conversation's final size on disk.
// Fresh folder and fresh text per run; a run stops at a time cap (reported) so a quadratic store cannot stall the bench.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConversationStore } from '../src/core/conversations/store';
import { silentLogger, systemClock } from '../src/core/ports';
import type { ChatMessage } from '../src/shared/conversation';
import { freshText } from './freshText';
import { f, spread } from './stats';

export interface StoreOptions {
  messages?: number;
  messageChars?: number;
  runs?: number;
  capMs?: number;
}

interface StoreRun {
  reached: number;
  msAt100: number;
  msAtEnd: number;
  written: number;
  finalBytes: number;
}

export interface StoreResult {
  messages: number;
  messageChars: number;
  capMs: number;
  runs: StoreRun[];
  /** False where /proc/self/io is not readable (not Linux): bytes written are not reported. */
  measuredBytes: boolean;
}

function wchar(): number | undefined {
  try {
    const m = /^wchar: (\d+)$/m.exec(fs.readFileSync('/proc/self/io', 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) total += fs.statSync(path.join(e.parentPath, e.name)).size;
  return total;
}

async function oneRun(n: number, chars: number, capMs: number, seed: number): Promise<StoreRun> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-bench-store-'));
  let id = 0;
  const store = new ConversationStore({
    root,
    logger: silentLogger,
    clock: systemClock,
    newId: (prefix) => `${prefix}${seed}x${id++}`,
  });
  const c = store.create();
  const window = 40;
  const times: number[] = [];
  const w0 = wchar();
  const t0 = performance.now();
  let reached = 0;
  try {
    for (let i = 0; i < n; i++) {
      const m: ChatMessage = {
        id: `m${i}`,
        role: i % 2 ? 'assistant' : 'user',
        content: freshText(chars, seed * 100_003 + i),
        createdAt: Date.now(),
      };
      c.messages.push(m);
      const t = performance.now();
      await store.save(c);
      times.push(performance.now() - t);
      reached = i + 1;
      if (performance.now() - t0 > capMs) break;
    }
    await store.dispose();
    const w1 = wchar();
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    return {
      reached,
      msAt100: mean(times.slice(100 - window / 2, 100 + window / 2)),
      msAtEnd: mean(times.slice(-window)),
      written: w0 !== undefined && w1 !== undefined ? w1 - w0 : NaN,
      finalBytes: folderBytes(path.join(root, 'conversations')),
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

export async function benchStore(options: StoreOptions = {}): Promise<StoreResult> {
  const messages = options.messages ?? 2_000;
  const messageChars = options.messageChars ?? 600;
  const capMs = options.capMs ?? 20_000;
  const runs: StoreRun[] = [];
  for (let r = 0; r < (options.runs ?? 5); r++) runs.push(await oneRun(messages, messageChars, capMs, r + 1));
  return { messages, messageChars, capMs, runs, measuredBytes: wchar() !== undefined };
}

export function storeTable(r: StoreResult): string {
  const capped = r.runs.some((x) => x.reached < r.messages);
  const at = (x: StoreRun) => x.msAtEnd / x.msAt100;
  return [
    `### Saving: a conversation built to ${f(r.messages)} messages of ${f(r.messageChars)} fresh characters, saved after each`,
    '',
    `Real ConversationStore in a fresh temporary folder; ${r.runs.length} runs, median (min–max).` +
      (capped ? ` Some runs hit the ${f(r.capMs / 1000)}-second cap before ${f(r.messages)} messages.` : ''),
    '',
    '| messages reached | ms per save at ~100 | ms per save at the end | end / 100 | bytes written / final size | final size (KB) |',
    '|---:|---:|---:|---:|---:|---:|',
    `| ${spread(r.runs.map((x) => x.reached))} | ${spread(
      r.runs.map((x) => x.msAt100),
      2,
    )} | ${spread(
      r.runs.map((x) => x.msAtEnd),
      2,
    )} | ${spread(r.runs.map(at), 1)}× | ${
      r.measuredBytes
        ? `${spread(
            r.runs.map((x) => x.written / x.finalBytes),
            1,
          )}×`
        : 'not measured'
    } | ${spread(r.runs.map((x) => x.finalBytes / 1024))} |`,
  ].join('\n');
}

if (require.main === module) void benchStore().then((r) => console.log(storeTable(r)));
