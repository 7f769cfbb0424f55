// Crash safety of the conversation store: a child process (test/support/conversationWriter.ts) keeps saving
// conversations and reports each save after its promise resolved; it is killed with SIGKILL at seeded-random
// moments, many times, on the same folder. After each kill a fresh store must load every conversation reported
// saved, whole: at least the reported number of messages, every message's content exact (and anything unreported
// after them a prefix of what was being written), no file set aside as damaged, no warnings.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { TEMP_FILE } from '../../src/core/files/privateWrite';
import { autoTitle } from '../../src/core/conversations/titles';
import { ConversationStore } from '../../src/core/conversations/store';
import { newId } from '../../src/core/ids';
import { silentLogger, systemClock } from '../../src/core/ports';
import { contentOf, roleOf, seededRandom } from '../support/conversationWriter';

const WRITER = path.resolve(__dirname, '../support/conversationWriter.ts');
const ROUNDS = 25;
/** Timers are unref'd: a pending one (the 20 s safety net) must not keep the test process alive. */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

interface Round {
  lines: string[];
  signal: NodeJS.Signals | null;
  code: number | null;
  stderr: string;
}

/** Runs the writer until `killAfter` resolves, then SIGKILLs it; returns the complete stdout lines. */
async function runAndKill(
  root: string,
  seed: number,
  killAfter: (firstSave: Promise<void>) => Promise<void>,
): Promise<Round> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, root, String(seed)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let stderr = '';
  let onFirst: () => void = () => {};
  const firstSave = new Promise<void>((resolve) => {
    onFirst = resolve;
  });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    if (out.includes('\n')) onFirst();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const closed = new Promise<Pick<Round, 'signal' | 'code'>>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  await Promise.race([killAfter(firstSave), closed]);
  child.kill('SIGKILL');
  const { code, signal } = await closed;
  return { lines: out.split('\n').slice(0, -1), code, signal, stderr }; // the last piece has no newline: incomplete
}

/** Everything reported saved loads whole in a fresh store; the index agrees with the files. */
async function verify(root: string, reported: ReadonlyMap<string, number>, round: number): Promise<number> {
  const store = new ConversationStore({ root, logger: silentLogger, clock: systemClock, newId });
  const summaries = new Map((await store.list()).map((s) => [s.id, s]));
  let messages = 0;
  for (const [id, count] of reported) {
    const c = await store.load(id);
    assert.ok(c, `round ${round}: ${id}, reported saved with ${count} messages, does not load`);
    assert.ok(c.messages.length >= count, `round ${round}: ${id} has ${c.messages.length} messages, ${count} reported`);
    assert.equal(
      summaries.get(id)?.messageCount,
      c.messages.length,
      `round ${round}: the listed summary of ${id} is stale`,
    );
    assert.equal(c.title, autoTitle(contentOf(id, 0)));
    c.messages.forEach((m, i) => {
      const where = `round ${round}: ${id} message ${i}`;
      assert.equal(m.id, `m${i}`, where);
      assert.equal(m.role, roleOf(i), where);
      if (i < count) {
        assert.equal(m.content, contentOf(id, i), where);
        if (m.role === 'assistant') assert.equal(m.status, 'complete', where);
      } else {
        assert.ok(contentOf(id, i).startsWith(m.content), `${where} (unreported) is not a prefix of what was written`);
      }
    });
    messages += c.messages.length;
  }
  assert.deepEqual(store.takeWarnings(), [], `round ${round}: warnings`);
  const names = await fs.readdir(path.join(root, 'conversations'));
  assert.deepEqual(
    names.filter((n) => n.includes('.corrupt-')),
    [],
    `round ${round}: files set aside`,
  );
  return messages;
}

describe('conversation store: crash safety', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'tally-crash-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it(
    `keeps every reported save through ${ROUNDS} SIGKILLs in the middle of writes`,
    // A guard against a hang, not a bound on speed: each round starts a Node child with tsx, which took ~5 s per
    // round at a load average of 20 on 2 cores (120 s was too little in a clean-clone run on such a machine).
    { timeout: 600_000 },
    async (t) => {
      const random = seededRandom(0x7a11);
      const reported = new Map<string, number>();
      let saves = 0;
      const tempFiles = new Set<string>();
      let messages = 0;
      const started = Date.now();
      for (let round = 1; round <= ROUNDS; round++) {
        // Most rounds kill 0-250 ms after the first save (writes are under way); every fifth round kills at a random
        // moment after spawn, which may be during startup, the open (temp cleanup, trash purge) or the index repair.
        const early = round % 5 === 0;
        const delay = early ? random() * 900 : random() * 250;
        const result = await runAndKill(root, round, async (firstSave) => {
          if (!early) await Promise.race([firstSave, sleep(20_000)]);
          await sleep(delay);
        });
        assert.equal(
          result.signal,
          'SIGKILL',
          `round ${round}: the writer ended by itself (code ${result.code}): ${result.stderr}`,
        );
        for (const line of result.lines) {
          const m = /^saved (\S+) (\d+)$/.exec(line);
          assert.ok(m, `round ${round}: unexpected output ${JSON.stringify(line)}`);
          reported.set(m[1], Math.max(reported.get(m[1]) ?? 0, Number(m[2])));
          saves++;
        }
        for (const name of await fs.readdir(path.join(root, 'conversations')).catch(() => [] as string[])) {
          if (TEMP_FILE.test(name)) tempFiles.add(name);
        }
        messages = await verify(root, reported, round);
      }
      t.diagnostic(
        `${ROUNDS} kills in ${((Date.now() - started) / 1000).toFixed(1)} s: ${saves} saves reported, ${reported.size} conversations, ${messages} messages verified, ${tempFiles.size} temp files left by kills mid-write (ignored)`,
      );
      assert.ok(saves >= 50, `only ${saves} saves reported: the writer barely ran`);
      assert.ok(reported.size >= 2, 'several conversations');
    },
  );
});
