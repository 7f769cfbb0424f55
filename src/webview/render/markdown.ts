// Model output -> safe DOM. markdown-it with raw HTML disabled and only http/https/mailto links (linkSafetyPlugin),
// then DOMPurify over the result, so nothing a model writes can run script, load remote content or open another
// scheme from the panel (the CSP is the second wall; the host checks a clicked link's scheme again).
// The panel's own DOMPurify instance parses its configuration once (setConfig), not on every call, and hands back the
// sanitised nodes themselves (a fragment) rather than HTML to parse a second time: a streaming reply renders each
// finished block on its own, so what a call costs beyond its text is paid ~100 times per reply (bench/streamRender.ts).
import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';
import { finishInRender, highlightInRender } from './codeHighlight';
import { isOpenableUrl } from './linkSafety';
import { linkSafetyPlugin } from './markdownLinks';

/** The texts of the blocks the render being done highlighted (codeHighlight.ts highlightInRender). */
let highlighted: string[] = [];
const md = new MarkdownIt({
  html: false,
  linkify: true,
  breaks: false,
  highlight: (text, fence) => highlightInRender(text, fence, highlighted),
});
md.use(linkSafetyPlugin);

const purify = DOMPurify(window);
purify.setConfig({
  USE_PROFILES: { html: true },
  FORBID_TAGS: ['img', 'style', 'form', 'input', 'button', 'iframe'],
  FORBID_ATTR: ['style'],
  RETURN_DOM_FRAGMENT: true,
});
// Links open outside the webview, through the host (see linkClicks); remote images are not loaded (the CSP blocks
// them anyway). A link whose target is not an openable URL loses its href: it is text, whatever produced it.
purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    const href = node.getAttribute('href');
    if (href !== null && !isOpenableUrl(href)) node.removeAttribute('href');
    node.setAttribute('rel', 'noopener noreferrer');
    node.setAttribute('target', '_blank');
  }
});

let renders = 0;
let renderedChars = 0;

/** How many markdown renders ran in this panel, and over how many characters in all (the streaming tests count). */
export function renderStats(): { renders: number; chars: number } {
  return { renders, chars: renderedChars };
}

/** `source` as sanitised nodes, ready to insert (they belong to DOMPurify's inert document until then). Counted in
 *  renderStats unless `counted` is false (the panel's warm-up, render/warmUp.ts). */
export function renderMarkdown(source: string, { counted = true } = {}): DocumentFragment {
  if (counted) {
    renders++;
    renderedChars += source.length;
  }
  highlighted = [];
  const out: unknown = purify.sanitize(md.render(source));
  if (out instanceof DocumentFragment) {
    finishInRender(out, highlighted);
    return out;
  }
  // DOMPurify hands back its input unsanitised where it cannot work (no DOM): show it as text, never as HTML.
  const text = document.createDocumentFragment();
  text.append(source);
  return text;
}
