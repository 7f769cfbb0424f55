// Links in model output say where they go: the pure checks (linkSafety) and the markdown-it plugin that applies them
// (markdownLinks), rendered with the real markdown-it in plain Node.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import MarkdownIt from 'markdown-it';
import { checkLink, isOpenableUrl, realHost, shownHost, stripInvisible } from '../../src/webview/render/linkSafety';
import { linkSafetyPlugin } from '../../src/webview/render/markdownLinks';

const md = new MarkdownIt({ html: false, linkify: true }).use(linkSafetyPlugin);
const render = (source: string): string => md.renderInline(source);
const INVISIBLES = [
  '\u202A',
  '\u202B',
  '\u202C',
  '\u202D',
  '\u202E',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200E',
  '\u200F',
  '\u061C',
  '\u200B',
  '\u200C',
  '\u200D',
  '\u2060',
  '\uFEFF',
];

describe('link safety: pure checks', () => {
  it('strips every bidi control and zero-width character, and nothing else', () => {
    assert.equal(stripInvisible(`g${INVISIBLES.join('')}ithub.com é 日本`), 'github.com é 日本');
  });

  it('only http, https (with a host) and mailto are openable', () => {
    for (const ok of [
      'https://example.com/a?b=1#c',
      'http://127.0.0.1:8080/',
      'mailto:someone@example.com',
      'HTTPS://EXAMPLE.COM',
    ]) {
      assert.equal(isOpenableUrl(ok), true, ok);
    }
    for (const bad of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'command:tally.setApiKey',
      'file:///etc/passwd',
      'vscode://settings',
      '//evil.example/x',
      '/relative',
      '#anchor',
      'README.md',
      'http://',
      'https:evil',
      'https:\\\\evil.example',
      ' https://example.com',
    ]) {
      assert.equal(isOpenableUrl(bad), false, bad);
    }
  });

  it('the real host is ASCII (punycode for IDN), and a mailto address has its domain as host', () => {
    assert.equal(realHost('https://User:pw@Sub.Example.COM:8443/x'), 'sub.example.com');
    assert.equal(realHost('https://gіthub.com/'), 'xn--gthub-n2e.com'); // Cyrillic і
    assert.equal(realHost('mailto:bob@Evil.Example?subject=hi'), 'evil.example');
    assert.equal(realHost('javascript:alert(1)'), undefined);
  });

  it('finds the host that link text shows, through look-alike characters', () => {
    assert.equal(shownHost('https://github.com/org/repo'), 'github.com');
    assert.equal(shownHost('see www.github.com/x'), 'github.com');
    assert.equal(shownHost('gіthub.com'), 'xn--gthub-n2e.com'); // Cyrillic і: not github.com
    assert.equal(shownHost('ｇｉｔｈｕｂ．ｃｏｍ'), 'github.com'); // full-width letters and dot
    assert.equal(shownHost('github。com'), 'github.com'); // ideographic full stop
    assert.equal(shownHost('github\u2024com'), 'github.com'); // one-dot leader
    assert.equal(shownHost('git\u200Bhub\u202E.com'), 'github.com'); // zero-width and bidi inside
    assert.equal(shownHost('bob@github.com'), 'github.com');
  });

  it('text that shows no host: words, versions, file names, paths', () => {
    for (const t of ['click here', 'v1.2.3', 'e.g. this', 'README.md', 'src/main.ts', 'Node.js', 'package.json']) {
      assert.equal(shownHost(t), undefined, t);
    }
    assert.equal(shownHost('https://README.md'), 'readme.md', 'with a scheme it is a host');
  });

  it('warns with the real host only when the text shows another one (or the real one is punycode)', () => {
    assert.deepEqual(checkLink('https://github.com', 'https://evil.example/login'), {
      url: 'https://evil.example/login',
      warnHost: 'evil.example',
    });
    assert.deepEqual(checkLink('github.com', 'https://github.com.evil.example/'), {
      url: 'https://github.com.evil.example/',
      warnHost: 'github.com.evil.example',
    });
    assert.deepEqual(checkLink('ｇｉｔｈｕｂ．ｃｏｍ', 'https://evil.example'), {
      url: 'https://evil.example/',
      warnHost: 'evil.example',
    });
    assert.deepEqual(checkLink('github.com', 'https://xn--gthub-n2e.com'), {
      url: 'https://xn--gthub-n2e.com/',
      warnHost: 'xn--gthub-n2e.com',
    });
    assert.deepEqual(checkLink('bob@github.com', 'mailto:bob@evil.example'), {
      url: 'mailto:bob@evil.example',
      warnHost: 'evil.example',
    });
    assert.deepEqual(
      checkLink('github.com', 'https://gist.github.com/x'),
      { url: 'https://gist.github.com/x' },
      'a subdomain of the shown host',
    );
    assert.deepEqual(checkLink('www.github.com', 'https://github.com'), { url: 'https://github.com/' });
    assert.deepEqual(
      checkLink('the docs', 'https://evil.example'),
      { url: 'https://evil.example/' },
      'no host shown: title only',
    );
    assert.equal(checkLink('https://github.com', 'javascript:alert(1)'), undefined);
  });
});

describe('link safety: rendered markdown', () => {
  it('a look-alike link shows its real host next to it and in its title', () => {
    const html = render('[https://github.com](https://evil.example/login)');
    assert.match(
      html,
      /<a href="https:\/\/evil\.example\/login" title="https:\/\/evil\.example\/login\nThis link goes to evil\.example">https:\/\/github\.com<\/a>/,
    );
    assert.match(
      html,
      /<\/a><span class="link-host" title="This link goes to evil\.example"> → evil\.example<\/span>$/,
    );
  });

  it('every link has its real URL as title, replacing a title the text gave', () => {
    assert.equal(
      render('[docs](https://example.com/a "https://github.com")'),
      '<a href="https://example.com/a" title="https://example.com/a">docs</a>',
    );
    assert.equal(
      render('see https://example.com'),
      'see <a href="https://example.com" title="https://example.com/">https://example.com</a>',
    );
  });

  it('strips bidi and zero-width characters from link text, in text and code', () => {
    const html = render('[git\u202Ehub\u200B.com `a\u2066b`](https://github.com)');
    assert.equal(html, '<a href="https://github.com" title="https://github.com/">github.com <code>ab</code></a>');
  });

  it('a punycode autolink shows its ASCII host', () => {
    assert.match(
      render('https://xn--gthub-n2e.com'),
      /<span class="link-host" title="This link goes to xn--gthub-n2e\.com"> → xn--gthub-n2e\.com<\/span>/,
    );
  });

  it('javascript:, data:, vbscript:, command:, file: and entity tricks stay plain text, in links and autolinks', () => {
    const corpus = [
      '[x](javascript:alert(1))',
      '[x](JaVaScRiPt:alert(1))',
      '[x](&#106;avascript:alert(1))',
      '[x](&#x6A;avascript:alert(1))',
      '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '[x](vbscript:msgbox(1))',
      '[x](command:tally.setApiKey)',
      '[x](file:///etc/passwd)',
      '<javascript:alert(1)>',
      '<command:workbench.action.terminal.new>',
      '<data:text/html,hi>',
      '<vbscript:msgbox(1)>',
      '[x](java\u0000script:alert(1))',
      '[x](  javascript:alert(1))',
      '[x][r]\n\n[r]: javascript:alert(1)',
      '[x](./relative.md)',
      '[x](//evil.example)',
    ];
    for (const source of corpus) {
      const html = md.render(source);
      assert.doesNotMatch(html, /<a\b/, `${JSON.stringify(source)} -> ${html}`);
    }
  });

  it('raw HTML is text (html: false)', () => {
    const html = md.render('<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> <svg onload=alert(1)>');
    assert.doesNotMatch(html, /<(script|img|svg)\b/);
    assert.match(html, /&lt;script&gt;/);
  });
});
