import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { headroomWarning, parseResetDuration, readRateLimits } from '../../src/core/api/rateLimits';

describe('rate-limit headroom', () => {
  it('parses OpenAI reset durations', () => {
    assert.equal(parseResetDuration('6m0s'), 360_000);
    assert.equal(parseResetDuration('1.5s'), 1500);
    assert.equal(parseResetDuration('20ms'), 20);
    assert.equal(parseResetDuration('1h2m3s'), 3_723_000);
    assert.equal(parseResetDuration('7'), 7000);
    assert.equal(parseResetDuration('soon'), undefined);
  });

  it('reads the headers, or nothing when the server sends none', () => {
    const snap = readRateLimits(
      {
        'x-ratelimit-remaining-requests': '59',
        'x-ratelimit-remaining-tokens': '1200',
        'x-ratelimit-limit-tokens': '150000',
        'x-ratelimit-reset-tokens': '6s',
        'x-ratelimit-reset-requests': '1s',
      },
      1000,
    );
    assert.deepEqual(snap, {
      remainingRequests: 59,
      remainingTokens: 1200,
      limitTokens: 150000,
      requestsResetAt: 2000,
      tokensResetAt: 7000,
    });
    assert.equal(readRateLimits({ 'content-type': 'text/event-stream' }, 0), undefined);
  });

  it('warns only when the estimate exceeds what remains before the reset', () => {
    const snap = { remainingTokens: 1200, remainingRequests: 10, tokensResetAt: 7000 };
    assert.equal(headroomWarning(snap, 1000, 1000), undefined);
    assert.equal(
      headroomWarning(snap, 5000, 1000),
      'This request needs about 5,000 tokens but only 1,200 remain in the rate-limit window for about 6 s; it may be rate limited and wait.',
    );
    assert.equal(headroomWarning(snap, 5000, 8000), undefined, 'the window has reset');
    assert.match(
      headroomWarning({ remainingRequests: 0, requestsResetAt: 3000 }, 1, 1000) ?? '',
      /No requests remain .* about 2 s/,
    );
    assert.equal(headroomWarning(undefined, 1e9, 0), undefined);
  });
});
