// A markdown-it plugin that makes every link in model output say where it goes:
// - only http:, https: and mailto: become links (markdown-it's validateLink, made explicit); any other target
//   (javascript:, data:, vbscript:, command:, file:, relative) stays as the literal source text;
// - bidi controls and zero-width characters are removed from link text;
// - every link's title is its real URL, and when the text shows another host (or the real host is punycode) the
//   real host follows the link as visible text: "github.com → evil.example".
// Token-level and DOM-free, so the rendered HTML is unit-tested in plain Node.
import * as l10n from '@vscode/l10n';
import type MarkdownIt from 'markdown-it';
import { checkLink, isOpenableUrl, stripInvisible } from './linkSafety';

type StateCore = MarkdownIt.StateCore;
type Token = MarkdownIt.Token;

export function linkSafetyPlugin(md: InstanceType<typeof MarkdownIt>): void {
  md.validateLink = isOpenableUrl;
  md.core.ruler.push('tally_link_safety', (state: StateCore) => {
    for (const block of state.tokens) {
      if (block.type === 'inline' && block.children) block.children = secureLinks(block.children, state);
    }
  });
}

function secureLinks(tokens: Token[], state: StateCore): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const open = tokens[i];
    if (open.type !== 'link_open') {
      out.push(open);
      continue;
    }
    let close = i + 1;
    while (close < tokens.length && tokens[close].type !== 'link_close') close++;
    const inner = tokens.slice(i + 1, close);
    for (const t of inner) {
      if (t.type === 'text' || t.type === 'code_inline') t.content = stripInvisible(t.content);
    }
    const text = inner.map((t) => (t.type === 'text' || t.type === 'code_inline' ? t.content : '')).join('');
    const check = checkLink(text, String(open.attrGet('href') ?? '')); // typed string | number
    if (!check) {
      // not reachable through validateLink; kept so the rule holds on its own: text, no link
      out.push(...inner);
      i = close;
      continue;
    }
    open.attrSet(
      'title',
      check.warnHost ? `${check.url}\n${l10n.t('This link goes to {0}', check.warnHost)}` : check.url,
    );
    out.push(open, ...inner);
    if (close < tokens.length) out.push(tokens[close]);
    if (check.warnHost) out.push(...hostMarker(state, check.warnHost));
    i = close;
  }
  return out;
}

/** " → real.host" in a span after the link. */
function hostMarker(state: StateCore, host: string): Token[] {
  const open = new state.Token('link_host_open', 'span', 1);
  open.attrSet('class', 'link-host');
  open.attrSet('title', l10n.t('This link goes to {0}', host));
  const text = new state.Token('text', '', 0);
  text.content = ` → ${host}`;
  return [open, text, new state.Token('link_host_close', 'span', -1)];
}
