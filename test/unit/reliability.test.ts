// The retry policy, timeouts and failure classification, end to end through the real openai SDK over real HTTP to
// the loopback test server. Waits go through a FakeClock: they are asserted exactly and never slept for real.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { OpenAIChatClient } from '../../src/core/api/openaiClient';
import { silentLogger } from '../../src/core/ports';
import { streamReply, type AttemptRecord, type RetryNotice, type StreamOutcome } from '../../src/core/api/replyStream';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../src/core/api/retry';
import type { StreamTimeouts } from '../../src/core/api/streamWatchdog';
import { FakeOpenAIServer, type ScriptedReply } from '../support/fakeOpenAI';
import { FakeClock } from '../support/fakeClock';

// These tests settle only through the abort or limit they test; a broken one would hang, and this ends it (a guard
// against hanging, not a bound on speed).
const HANG_GUARD = { timeout: 90_000 };

interface Run {
  outcome: StreamOutcome;
  text: string;
  waits: number[];
  notices: RetryNotice[];
  attempts: AttemptRecord[];
  serverAttempts: number;
}

describe('reliable API calls', () => {
  let server: FakeOpenAIServer;
  const client = new OpenAIChatClient();
  before(async () => {
    server = await FakeOpenAIServer.start();
  });
  beforeEach(() => server.reset());
  after(() => server.close());

  async function run(
    replies: ScriptedReply[],
    opts: {
      policy?: Partial<RetryPolicy>;
      timeouts?: Partial<StreamTimeouts>;
      clock?: FakeClock;
      signal?: AbortSignal;
    } = {},
  ): Promise<Run> {
    server.enqueue(...replies);
    const clock = opts.clock ?? new FakeClock();
    const attempts: AttemptRecord[] = [];
    const notices: RetryNotice[] = [];
    let text = '';
    const outcome = await streamReply(
      {
        client,
        clock,
        logger: silentLogger,
        random: () => 0.5,
        policy: { ...DEFAULT_RETRY_POLICY, ...opts.policy },
        // Limits far beyond any test unless a test sets its own: a loaded machine can take seconds to answer the
        // first request (loading the SDK), and a wall-clock limit must not decide a test about something else.
        timeouts: { firstByteMs: 120_000, idleMs: 120_000, ...opts.timeouts },
        onAttempt: (r) => attempts.push(r),
      },
      'req1',
      { baseUrl: server.baseUrl, apiKey: 'sk-test-reliability' },
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] },
      opts.signal ?? new AbortController().signal,
      {
        delta: (t) => {
          text += t;
        },
        retrying: (n) => notices.push(n),
      },
    );
    return {
      outcome,
      text,
      waits: clock.sleeps,
      notices,
      attempts,
      serverAttempts: server.requests.filter((r) => r.path === '/v1/chat/completions').length,
    };
  }

  const failedKind = (o: StreamOutcome) => (o.kind === 'failed' ? o.failure.view.kind : o.kind);

  it('429 with Retry-After: 2, then 200: waits 2 s and streams the reply', async () => {
    const r = await run([{ status: 429, headers: { 'retry-after': '2' } }, {}]);
    assert.equal(r.outcome.kind, 'complete');
    assert.equal(r.text, 'Echo: hello');
    assert.equal(r.serverAttempts, 2);
    assert.deepEqual(r.waits, [2000]);
    assert.deepEqual(
      r.notices.map((n) => [n.reason, n.attempt, n.of, n.delayMs]),
      [['Rate limited', 2, 4, 2000]],
    );
    assert.deepEqual(
      r.attempts.map((a) => [a.attempt, a.status, a.errorKind, a.waitBeforeMs]),
      [
        [1, 429, 'rateLimited', 0],
        [2, 200, undefined, 2000],
      ],
    );
    assert.ok(r.attempts[1].ttftMs !== undefined);
  });

  it('429 with retry-after-ms: waits exactly that', async () => {
    const r = await run([{ status: 429, headers: { 'retry-after-ms': '1500' } }, {}]);
    assert.equal(r.outcome.kind, 'complete');
    assert.deepEqual(r.waits, [1500]);
    assert.equal(r.serverAttempts, 2);
  });

  it('429 insufficient_quota is not retried', async () => {
    const r = await run([
      {
        status: 429,
        error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' },
      },
    ]);
    assert.equal(failedKind(r.outcome), 'quota');
    assert.equal(r.serverAttempts, 1);
    assert.deepEqual(r.waits, []);
    if (r.outcome.kind === 'failed') assert.ok(r.outcome.failure.view.actions.includes('openBilling'));
  });

  it('500 twice, then 200: exponential backoff with jitter', async () => {
    const r = await run([{ status: 500 }, { status: 500 }, {}]);
    assert.equal(r.outcome.kind, 'complete');
    assert.equal(r.serverAttempts, 3);
    // equal jitter with random() = 0.5: step 1000 -> 750, step 2000 -> 1500
    assert.deepEqual(r.waits, [750, 1500]);
  });

  it('502 on every attempt: 1 + 3 retries, then a server error', async () => {
    const r = await run([{ status: 502 }, { status: 502 }, { status: 502 }, { status: 502 }]);
    assert.equal(failedKind(r.outcome), 'server');
    assert.equal(r.serverAttempts, 4);
    assert.deepEqual(r.waits, [750, 1500, 3000]);
    assert.deepEqual(
      r.notices.map((n) => n.attempt),
      [2, 3, 4],
    );
  });

  it('503 with Retry-After above 60 s is honoured (the SDK would ignore it)', async () => {
    const r = await run([{ status: 503, headers: { 'retry-after': '90' } }, {}]);
    assert.equal(r.outcome.kind, 'complete');
    assert.deepEqual(r.waits, [90_000]);
  });

  it('a Retry-After beyond the maximum wait fails at once and says when to try again', async () => {
    const r = await run([{ status: 503, headers: { 'retry-after': '600' } }]);
    assert.equal(r.serverAttempts, 1);
    assert.deepEqual(r.waits, []);
    assert.equal(r.outcome.kind, 'failed');
    if (r.outcome.kind === 'failed') {
      assert.equal(r.outcome.failure.view.kind, 'server');
      assert.match(
        r.outcome.failure.view.message,
        /wait 600 s, longer than the 120 s Tally waits\. Try again after \d\d:\d\d:\d\d\./,
      );
    }
  });

  it('a connection reset before the first byte is retried', async () => {
    const r = await run([{ resetBeforeResponse: true }, {}]);
    assert.equal(r.outcome.kind, 'complete');
    assert.equal(r.serverAttempts, 2);
    assert.equal(r.attempts[0].errorKind, 'network');
    assert.equal(r.attempts[0].status, undefined);
    assert.deepEqual(r.waits, [750]);
  });

  it('a reset mid-stream keeps the partial reply and is not retried', async () => {
    const r = await run([{ text: 'abcdefghijklmnop', chunkSize: 4, dropAfterChunks: 2 }]);
    assert.equal(r.serverAttempts, 1);
    assert.equal(r.text, 'abcdefgh');
    assert.equal(r.outcome.kind, 'failed');
    if (r.outcome.kind === 'failed') {
      assert.equal(r.outcome.afterTokens, true);
      assert.equal(r.outcome.failure.view.kind, 'network');
    }
  });

  it('a stall mid-stream is aborted after the idle limit and keeps the partial reply', HANG_GUARD, async () => {
    // The stall never ends on its own (the server waits for the client to hang up), so the run settles only because
    // the idle limit fired: no wall-clock bound needed, the outcome and the closed connection prove it.
    const r = await run([{ text: 'abcdefghijklmnop', chunkSize: 4, stallAfterChunks: 2 }], {
      timeouts: { idleMs: 1_000 },
    });
    assert.equal(r.text, 'abcdefgh');
    assert.equal(failedKind(r.outcome), 'timeout');
    assert.equal(r.serverAttempts, 1);
    const settled = await server.waitForSettled(0);
    assert.equal(settled.clientClosedEarly, true, 'the stalled connection was closed');
  });

  it('no answer within the first-byte limit is a timeout, retried', HANG_GUARD, async () => {
    // The first answer would come after 10 minutes, so only the 1 s limit can end that attempt. The retries answer
    // at once; the retry budget is generous so a retry slowed past the limit by a loaded machine is retried again
    // instead of failing the test.
    const r = await run([{ firstByteDelayMs: 600_000 }, {}], {
      timeouts: { firstByteMs: 1_000 },
      policy: { maxRetries: 10 },
    });
    assert.equal(r.outcome.kind, 'complete');
    assert.equal(r.attempts[0].errorKind, 'timeout');
    assert.equal(r.attempts.at(-1)?.errorKind, undefined, 'the last attempt answered');
    assert.equal(r.serverAttempts, r.attempts.length);
    assert.ok(r.serverAttempts >= 2);
    const first = await server.waitForSettled(0);
    assert.deepEqual([first.clientClosedEarly, first.finished], [true, false], 'the silent attempt was closed');
  });

  it('malformed SSE data before any token is retried; after tokens it keeps the partial reply', async () => {
    const early = await run([{ malformedAfterChunks: 0 }, {}]);
    assert.equal(early.outcome.kind, 'complete');
    assert.equal(early.attempts[0].errorKind, 'server');
    server.reset();
    const late = await run([{ text: 'abcdefgh', chunkSize: 4, malformedAfterChunks: 1 }]);
    assert.equal(late.text, 'abcd');
    assert.equal(failedKind(late.outcome), 'server');
    assert.equal(late.serverAttempts, 1);
  });

  it('401 is not retried and offers Set API Key', async () => {
    const r = await run([{ status: 401 }]);
    assert.equal(r.serverAttempts, 1);
    assert.equal(r.outcome.kind, 'failed');
    if (r.outcome.kind === 'failed') {
      assert.equal(r.outcome.failure.view.kind, 'auth');
      assert.deepEqual(r.outcome.failure.view.actions, ['setApiKey', 'showLog']);
      assert.match(r.outcome.failure.view.requestId ?? '', /^req_/);
    }
  });

  it('400 context_length_exceeded is not retried', async () => {
    const r = await run([
      {
        status: 400,
        error: {
          message: "This model's maximum context length is 128000 tokens.",
          type: 'invalid_request_error',
          code: 'context_length_exceeded',
          param: 'messages',
        },
      },
    ]);
    assert.equal(r.serverAttempts, 1);
    assert.equal(failedKind(r.outcome), 'contextTooLong');
    if (r.outcome.kind === 'failed') assert.match(r.outcome.failure.view.detail ?? '', /maximum context length/);
  });

  it('404 model not found is not retried and offers to choose a model', async () => {
    const r = await run([
      {
        status: 404,
        error: { message: 'The model `gpt-9` does not exist', type: 'invalid_request_error', code: 'model_not_found' },
      },
    ]);
    assert.equal(r.serverAttempts, 1);
    assert.equal(failedKind(r.outcome), 'modelNotFound');
    if (r.outcome.kind === 'failed') assert.ok(r.outcome.failure.view.actions.includes('chooseModel'));
  });

  it('Stop during a retry wait takes effect at once', HANG_GUARD, async () => {
    const controller = new AbortController();
    const clock = new FakeClock(true);
    const running = run([{ status: 429, headers: { 'retry-after': '30' } }], { clock, signal: controller.signal });
    while (clock.sleeps.length === 0) await new Promise((r) => setTimeout(r, 5));
    // The held clock never ends the 30 s wait on its own: the run can settle only through the abort.
    controller.abort();
    const r = await running;
    assert.equal(r.outcome.kind, 'stopped');
    assert.deepEqual(clock.sleeps, [30_000], 'stopped inside the one retry wait');
    assert.equal(r.serverAttempts, 1, 'no retry was sent after Stop');
  });

  it('Stop while waiting for the first byte closes the connection at once', HANG_GUARD, async () => {
    const controller = new AbortController();
    // The server answers only after a minute and the first-byte limit is longer still: before that the run can settle
    // only through the abort. A broken Stop would end 'complete' with a finished response, so no wall-clock bound.
    const running = run([{ firstByteDelayMs: 60_000 }], {
      signal: controller.signal,
      timeouts: { firstByteMs: 120_000 },
    });
    await server.waitForRequests(1);
    controller.abort();
    const r = await running;
    assert.equal(r.outcome.kind, 'stopped');
    assert.equal(r.text, '');
    assert.equal(r.serverAttempts, 1, 'Stop is not retried');
    const settled = await server.waitForSettled(0);
    assert.equal(settled.clientClosedEarly, true, 'the waiting connection was closed');
    assert.equal(settled.finished, false);
  });
});
