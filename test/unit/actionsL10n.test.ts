// The code actions', router's and model picker's sentences in Simplified Chinese (issue #15): with the zh-cn strings
// of i18n/zh-cn/host.json loaded, the routing reason, the picker's details (money through Intl in zh-CN), the input
// refusals, a custom action's problems, a refused replacement and the truncation notice come out in Chinese, with
// model ids, file names and setting ids untouched; the action titles follow the bundle when read (getters), and with
// no bundle everything is English again. The prompt sent to the model stays English in both.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as l10n from '@vscode/l10n';
import { buildActionRequest } from '../../src/core/actions/actionRequest';
import { builtInAction } from '../../src/core/actions/catalog';
import { invalidActionMessage, parseCustomActions } from '../../src/core/actions/customActions';
import { refusalFor } from '../../src/core/actions/inputChecks';
import { checkReplacement } from '../../src/core/edits/replacement';
import { describeModel } from '../../src/core/models/modelCatalog';
import { route } from '../../src/core/routing/router';
import { routingTable } from '../../src/core/routing/routingTable';
import { truncationNotice } from '../../src/core/tokens/contextFit';
import { resolveModel } from '../../src/core/tokens/models';
import { englishAfterEach, useChinese } from '../support/displayLanguage';

englishAfterEach();

const input = {
  code: 'function add(a, b) {\n  return a + b;\n}\n',
  languageId: 'javascript',
  file: 'src/add.js',
  startLine: 1,
  endLine: 3,
  inputLabel: 'selection',
};

describe('code actions, routing and the model picker in zh-cn', () => {
  it('the routing reason: task, complexity and figures in Chinese, the model id as it is', () => {
    const decide = () =>
      route({ task: 'refactor', promptTokens: 62, lines: 3, files: 1 }, routingTable(), resolveModel);
    assert.equal(decide().reason, 'Refactor · simple (62 tokens, 3 lines, 1 file) → gpt-4o-mini');
    useChinese();
    assert.equal(decide().reason, '重构 · 简单（62 个令牌，3 行，1 个文件）→ gpt-4o-mini');
  });

  it('an action title is read when shown; its prompt stays English for the model', () => {
    useChinese();
    const refactor = builtInAction('refactor');
    assert.equal(refactor.title, '重构');
    const request = buildActionRequest(refactor, input);
    assert.equal(request.route.label, '重构');
    assert.match(request.prompt, /^Refactor this code from `src\/add\.js` \(javascript, lines 1–3\)/);
    l10n.config({ contents: {} });
    assert.equal(refactor.title, 'Refactor');
  });

  it("the picker's detail: context, prices through Intl in zh-CN, or price unknown", () => {
    useChinese();
    assert.equal(describeModel(resolveModel('gpt-4o')), '128k 上下文 · 每 100 万令牌 输入 $2.50 / 输出 $10.00');
    assert.equal(describeModel(resolveModel('my-local-model')), '128k 上下文（估计） · 价格未知');
  });

  it('input refusals, custom action problems, a refused replacement and the truncation notice', () => {
    useChinese();
    const facts = { file: 'a.ts', head: 'x', documentChars: 1, input: '   ', inputLabel: l10n.t('selection') };
    assert.equal(refusalFor(facts), 'Tally：所选内容只有空白字符，请先选择一些代码。');
    assert.equal(refusalFor({ ...facts, documentChars: 0 }), 'Tally：a.ts 为空，没有可发送的代码。');
    const { invalid } = parseCustomActions([{ title: 'Shout', prompt: 'Say {{nope}}' }]);
    assert.equal(
      invalidActionMessage(invalid[0]),
      'Tally：自定义操作“Shout”（tally.actions[0]）无法运行：未知占位符 {{nope}}（已知：{{selection}}, {{language}}, ' +
        '{{file}}, {{range}}, {{diagnostics}}）。请在设置中修正。',
    );
    const proposal = { document: 'file:///a.ts', name: 'a.ts', version: 1, start: 0, end: 1, original: 'x' };
    const verdict = checkReplacement(
      { ...proposal, replacement: 'y' },
      { document: 'file:///a.ts', version: 2, closed: false, textInRange: 'x' },
    );
    assert.deepEqual(verdict, {
      ok: false,
      reason: 'a.ts 在显示差异后已更改。未替换任何内容：请再次运行“替换所选内容”以查看新的差异。',
    });
    assert.equal(truncationNotice(l10n.t('selection'), 9000, 4000), '所选内容已从 9,000 个令牌截断为 4,000 个令牌');
  });
});
