// The core's sentences in Simplified Chinese (issue #15): with the zh-cn strings of i18n/zh-cn/core.json loaded, the
// errors, retry reasons, notices, default title and the Markdown export's own lines come out in Chinese, with the
// API's words, model ids and the conversation's content untouched; with no bundle they are English again (the
// strings are read at each use, never frozen at load).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as l10n from '@vscode/l10n';
import { classifyError } from '../../src/core/api/errors';
import { endpointRefusal } from '../../src/core/api/endpointPolicy';
import { headroomWarning } from '../../src/core/api/rateLimits';
import { decideRetry, DEFAULT_RETRY_POLICY, retryReason } from '../../src/core/api/retry';
import { newConversation, parseConversation } from '../../src/core/conversations/codec';
import { parseConversationLog, snapshotLine } from '../../src/core/conversations/conversationLog';
import { toMarkdown } from '../../src/core/conversations/export';
import { setDisplayLocale } from '../../src/shared/displayLocale';
import { englishAfterEach, useChinese } from '../support/displayLanguage';

englishAfterEach();

describe('core strings in zh-cn', () => {
  it('error messages by kind, with the API’s own words quoted as they came', () => {
    useChinese();
    assert.equal(classifyError({ status: 401 }).view.message, 'API 拒绝了此 API 密钥。');
    assert.equal(classifyError({ status: 429 }).view.message, '已被 API 速率限制。');
    assert.equal(classifyError({ status: 503 }).view.message, 'API 服务器出错（503）。');
    const refused = classifyError({ status: 400, error: { message: 'temperature must be <= 2' } }).view;
    assert.equal(refused.message, 'API 拒绝了请求：temperature must be <= 2');
    assert.equal(refused.detail, 'temperature must be <= 2');
    assert.equal(classifyError(new TypeError('fetch failed')).view.kind, 'network');
    assert.match(classifyError(new TypeError('fetch failed')).view.message, /^无法连接到 API。/);
    assert.match(endpointRefusal('ftp://example.com') ?? '', /^API 基础 URL 必须以 https:\/\/ 开头/);
  });

  it('retry reasons, a Retry-After beyond the limit, and the rate-limit headroom warning', () => {
    useChinese();
    assert.equal(retryReason('rateLimited'), '已被速率限制');
    const failure = { ...classifyError({ status: 429 }), retryAfterMs: 600_000 };
    const decision = decideRetry(DEFAULT_RETRY_POLICY, 1, failure, 0, () => 0);
    assert.ok(!decision.retry && decision.error);
    assert.match(
      decision.error.message,
      /^已被 API 速率限制 — 服务器要求等待 600 秒，超过了 Tally 最多等待的 120 秒。/,
    );
    const warning = headroomWarning({ remainingTokens: 1000 }, 12_345, 0);
    assert.equal(warning, '此请求约需 12,345 个令牌，但速率限制窗口内仅剩 1,000 个；可能会被速率限制并等待。');
  });

  it('a new conversation’s title and the Markdown export’s own lines; the content stays verbatim', () => {
    useChinese();
    const c = newConversation('c1', 0);
    assert.equal(c.title, '新对话');
    c.messages.push(
      { id: 'm0', role: 'user', content: 'How do I sort?', createdAt: 0 },
      {
        id: 'm1',
        role: 'assistant',
        content: 'Use sort.',
        createdAt: 1,
        model: 'gpt-4o',
        status: 'stopped',
        cached: true,
        savedUsd: 0.5,
        usage: { promptTokens: 12_000, completionTokens: 30, totalTokens: 12_030 },
      },
    );
    assert.equal(
      toMarkdown(c),
      [
        '# 新对话',
        '',
        '**你**',
        '',
        'How do I sort?',
        '',
        '**助手（gpt-4o）**',
        '',
        'Use sort.',
        '',
        '_已停止：回复不完整。_',
        '',
        '_令牌：提示 12,000 + 补全 30 = 12,030_ · _由缓存回答，节省 $0.50_',
        '',
      ].join('\n'),
    );
  });

  it('with no bundle the same calls are English again', () => {
    useChinese();
    assert.equal(newConversation('c1', 0).title, '新对话');
    l10n.config({ contents: {} });
    setDisplayLocale('en');
    assert.equal(newConversation('c2', 0).title, 'New conversation');
    assert.equal(classifyError({ status: 401 }).view.message, 'The API rejected the API key.');
  });

  it('why a damaged conversation file was set aside', () => {
    useChinese();
    const broken = parseConversation('{"version":1,', 'c1');
    assert.equal(broken.kind === 'invalid' && broken.reason, '不是有效的 JSON');
    const text = `${snapshotLine(newConversation('c1', 1)).text}{oops\n{"updatedAt":2}\n`;
    const log = parseConversationLog(text, 'c1');
    assert.equal(log.kind === 'invalid' && log.reason, '第 2 行不是有效的 JSON');
  });
});
