import assert from 'node:assert/strict';
import { test } from 'node:test';
import { displayLocale, intlLocaleFor, setDisplayLocale } from '../../src/shared/displayLocale';

test('VS Code language tags become BCP 47 locales for Intl', () => {
  assert.equal(intlLocaleFor('zh-cn'), 'zh-CN');
  assert.equal(intlLocaleFor('en'), 'en-US');
  assert.equal(intlLocaleFor('de'), 'de');
  assert.equal(intlLocaleFor('pt-br'), 'pt-BR');
  assert.equal(intlLocaleFor(undefined), 'en-US');
  assert.equal(intlLocaleFor('<script>'), 'en-US');
});

test('the display locale is what was set last, English by default', () => {
  assert.equal(displayLocale(), 'en-US');
  setDisplayLocale('zh-cn');
  assert.equal(displayLocale(), 'zh-CN');
  assert.equal(new Intl.NumberFormat(displayLocale()).format(1234.5), '1,234.5');
  setDisplayLocale('en');
  assert.equal(displayLocale(), 'en-US');
});
