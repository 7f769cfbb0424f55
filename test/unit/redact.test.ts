// The redaction corpus: every credential shape Tally knows is removed wherever it appears in a line, ordinary text
// that merely looks a little like one is left alone, and URLs are displayed without anything secret.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { displayEndpoint } from '../../src/core/api/endpoint';
import { displayUrl, redact, redactErrorView, REDACTED_SHAPES } from '../../src/core/api/redact';
import { redactingLogger } from '../../src/core/api/redactingLogger';
import { displayRedisUrl } from '../../src/core/cache/redisStore';
import type { Logger } from '../../src/core/ports';

const OPENAI = 'sk-' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v2W3x4';
/** Secrets that must vanish, with the secret part that must not survive. */
const SECRETS: { name: string; text: string; secret: string }[] = [
  { name: 'OpenAI key', text: `Incorrect API key provided: ${OPENAI}.`, secret: OPENAI.slice(3) },
  { name: 'OpenAI key, upper case', text: `key=SK-ABCDEF1234567890ABCDEF`, secret: 'ABCDEF1234567890ABCDEF' },
  {
    name: 'OpenAI key glued to an identifier',
    text: 'env foo_sk-abcdef1234567890xyz set',
    secret: 'abcdef1234567890xyz',
  },
  { name: 'OpenAI key in quotes', text: '{"key":"sk-live-1234567890abcd"}', secret: '1234567890abcd' },
  { name: 'OpenAI project key', text: 'sk-proj-Zx9_aB3-cD4eF5gH6iJ7kL8', secret: 'Zx9_aB3-cD4eF5gH6iJ7kL8' },
  { name: 'OpenAI service account key', text: 'sk-svcacct-Qw3Er4Ty5Ui6Op7As8Df9', secret: 'Qw3Er4Ty5Ui6Op7As8Df9' },
  { name: 'Anthropic key', text: 'x-api-key: sk-ant-api03-AbCdEf0123456789-_xyz', secret: 'api03-AbCdEf0123456789' },
  {
    name: 'Groq key',
    text: 'GROQ_API_KEY=gsk_8fJ2kL9mN3pQ4rS5tU6vW7xY8zA9bC0d',
    secret: '8fJ2kL9mN3pQ4rS5tU6vW7xY8zA9bC0d',
  },
  {
    name: 'Google API key',
    text: 'https://x.googleapis.com/v1?alt=json AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q',
    secret: 'SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q',
  },
  { name: 'xAI key', text: 'Bad key xai-Ab12Cd34Ef56Gh78Ij90Kl12Mn34', secret: 'Ab12Cd34Ef56Gh78Ij90Kl12Mn34' },
  {
    name: 'JWT',
    text: 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U expired',
    secret: 'eyJzdWIiOiIxMjM0NTY3ODkwIn0',
  },
  { name: 'JWT without signature', text: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.', secret: 'eyJzdWIiOiJhZG1pbiJ9' },
  { name: 'Bearer token', text: 'Authorization: Bearer abc.DEF-123_ghi~jkl', secret: 'abc.DEF-123_ghi~jkl' },
  { name: 'bearer token, lower case', text: 'authorization: bearer 0123456789abcdef', secret: '0123456789abcdef' },
  { name: 'Basic credentials', text: 'Authorization: Basic dXNlcjpwYXNzd29yZA==', secret: 'dXNlcjpwYXNzd29yZA==' },
  {
    name: 'URL user and password',
    text: 'connect redis://alice:s3cr3tPass@cache.internal:6379/0 failed',
    secret: 's3cr3tPass',
  },
  {
    name: 'URL token as user name',
    text: 'GET https://ghp_TokenAsUser123@git.example/x',
    secret: 'ghp_TokenAsUser123',
  },
  {
    name: 'URL secret parameter',
    text: 'https://proxy.example/v1/chat?api-key=hunter22secret&x=1',
    secret: 'hunter22secret',
  },
];

/** Text that must come through unchanged. */
const ORDINARY = [
  'task-id 42 of the risk-assessment tool on disk-space-heavy hosts',
  'short hex deadbeef and 0x1f2e3d4c, commit 403118a',
  'sk-short',
  'Ask-Me-Anything-Session-Notes', // "sk-" inside a word
  'Bearer authentication is described in RFC 6750',
  'Basic information about eyJ tokens',
  'https://api.openai.com/v1/chat/completions',
  'email alice@example.com and a path /home/alice/x@y',
  'xai-grok is a model family; gsk is a word',
  'AIza alone',
  'max_tokens=4096, temperature=0.7',
];

describe('redaction corpus', () => {
  for (const { name, text, secret } of SECRETS) {
    it(`removes: ${name}`, () => {
      const out = redact(text);
      assert.ok(!out.includes(secret), `"${secret}" survived in "${out}"`);
      assert.match(out, /redacted/);
    });
  }

  for (const text of ORDINARY) {
    it(`keeps: ${text}`, () => assert.equal(redact(text), text));
  }

  it('covers every shape it declares', () => {
    assert.deepEqual(REDACTED_SHAPES, [
      'Anthropic key',
      'OpenAI project key',
      'OpenAI-style key',
      'Groq key',
      'Google API key',
      'xAI key',
      'JWT',
      'Authorization token',
      'URL credentials',
      'secret URL parameter',
    ]);
  });

  it('keeps the kind of key, so a log still says which one was refused', () => {
    assert.equal(
      redact('Incorrect API key provided: sk-proj-abcdefghijklmnop.'),
      'Incorrect API key provided: sk-proj-…[redacted].',
    );
    assert.equal(redact(`bad ${OPENAI}`), 'bad sk-…[redacted]');
    assert.equal(redact('k sk-ant-api03-AbCdEf0123456789'), 'k sk-ant-…[redacted]');
  });

  it('removes the known key verbatim, whatever its shape, raw and URL-encoded', () => {
    assert.equal(redact('bad key abc123XYZ here', 'abc123XYZ'), 'bad key [redacted key] here');
    assert.equal(redact('u=p%2Fq%2Br%3Ds!', 'p/q+r=s!'), 'u=[redacted key]');
    assert.equal(
      redact('two secrets: longsecret1 and other-secret-2', 'longsecret1', 'other-secret-2'),
      'two secrets: [redacted key] and [redacted key]',
    );
    // Too short to be a key: replacing it would blank out ordinary words.
    assert.equal(redact('the cat sat', 'cat'), 'the cat sat');
  });

  it('redacts every secret in a line, several shapes together', () => {
    const out = redact(`a ${OPENAI} b gsk_8fJ2kL9mN3pQ4rS5tU6vW7 c Bearer t0k3n-v4lue-xyz d https://u:p4ss@h.example/`);
    for (const secret of [OPENAI.slice(3), '8fJ2kL9mN3pQ4rS5tU6vW7', 't0k3n-v4lue-xyz', 'p4ss'])
      assert.ok(!out.includes(secret), out);
    assert.equal(out, 'a sk-…[redacted] b gsk_…[redacted] c Bearer [redacted] d https://[redacted]@h.example/');
  });

  it('passes a large line of near-misses through unchanged (linear patterns: this finishes)', () => {
    // Each piece nearly matches a shape. A pattern that re-scanned a run from every start would take hours here.
    const hostile = [
      '-eyJaaaaaaaa'.repeat(40_000),
      'sk-abcdefghij '.repeat(40_000),
      'Bearer abcdefghij '.repeat(20_000),
      'a.'.repeat(200_000),
      'x://a '.repeat(40_000),
      '_sk-'.repeat(3),
      ' '.repeat(100_000) + 'Bearer',
    ].join(' ');
    assert.ok(hostile.length > 1_500_000);
    assert.equal(redact(hostile), hostile);
  });

  it('redacts the message and detail of an error view', () => {
    const v = redactErrorView({
      kind: 'auth',
      message: 'no sk-live-1234567890abcd',
      detail: 'key sk-live-1234567890',
      actions: [],
    });
    assert.ok(!v.detail?.includes('1234567890'));
    assert.ok(!v.message.includes('1234567890abcd'));
  });
});

describe('URL display', () => {
  const cases: [string, string | undefined][] = [
    ['https://user:pw@proxy.example/v1?api-key=abc#frag', 'https://proxy.example/v1'],
    ['https://sk-tokenAsUserName1234@proxy.example:8443/v1/', 'https://proxy.example:8443/v1'],
    ['http://127.0.0.1:11434/v1', 'http://127.0.0.1:11434/v1'],
    ['http://[::1]:8080/v1', 'http://[::1]:8080/v1'],
    ['redis://:p%40ss@cache.internal:6379/2', 'redis://cache.internal:6379/2'],
    ['rediss://default:tok@cache.example:6380', 'rediss://cache.example:6380'],
    ['redis://only-a-token@cache.example', 'redis://cache.example'],
    ['not a url', undefined],
  ];
  for (const [url, shown] of cases) {
    it(`${url} → ${String(shown)}`, () => assert.equal(displayUrl(url), shown));
  }

  it('the endpoint and the Redis URL are displayed the same way', () => {
    assert.equal(displayEndpoint('https://user:pw@proxy.example/v1?api-key=abc'), 'https://proxy.example/v1');
    assert.equal(displayEndpoint('not a url'), '(invalid URL)');
    assert.equal(displayRedisUrl('redis://tokenAsUser@cache.example:6379?x=1#f'), 'redis://cache.example:6379');
    assert.equal(displayRedisUrl('::'), '(invalid Redis URL)');
  });
});

describe('redactingLogger', () => {
  const recorder = () => {
    const lines: { level: string; args: unknown[] }[] = [];
    const at =
      (level: string) =>
      (...args: unknown[]) => {
        lines.push({ level, args });
      };
    const logger = {
      trace: at('trace'),
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      show() {
        return this === logger;
      },
      name: 'Tally',
    };
    return { logger, lines };
  };

  it('redacts every level, every argument, errors and objects, with the key as it is now', () => {
    const { logger, lines } = recorder();
    let key = 'first-known-key';
    const log: Logger = redactingLogger(logger, () => [key]);
    log.info(`sent with ${OPENAI}`, 'first-known-key', 42);
    key = 'second-known-key';
    log.warn('now second-known-key', { headers: { authorization: 'Bearer abc123def456' } });
    log.error(new Error(`failed: ${OPENAI}`));
    log.debug('https://u:pw@h.example/');
    log.trace('plain');
    assert.deepEqual(lines[0], { level: 'info', args: ['sent with sk-…[redacted]', '[redacted key]', 42] });
    assert.deepEqual(lines[1], {
      level: 'warn',
      args: ['now [redacted key]', '{"headers":{"authorization":"Bearer [redacted]"}}'],
    });
    assert.equal(lines[2].level, 'error');
    assert.match(String(lines[2].args[0]), /^Error: failed: sk-…\[redacted\]/);
    assert.deepEqual(lines[3].args, ['https://[redacted]@h.example/']);
    assert.deepEqual(lines[4].args, ['plain']);
  });

  it("leaves the wrapped object's other members working (an output channel's show, name)", () => {
    const { logger } = recorder();
    const log = redactingLogger(logger);
    assert.equal(log.name, 'Tally');
    assert.equal(log.show(), true);
  });
});
