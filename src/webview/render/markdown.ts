// Model output -> safe HTML. markdown-it with raw HTML disabled and only http/https/mailto links (linkSafetyPlugin),
// then DOMPurify over the result, so nothing a model writes can run script, load remote content or open another
// scheme from the panel (the CSP is the second wall; the host checks a clicked link's scheme again).
import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';
import { isOpenableUrl } from './linkSafety';
import { linkSafetyPlugin } from './markdownLinks';

const md = new MarkdownIt({ html: false, linkify: true, breaks: false });
md.use(linkSafetyPlugin);

// Links open outside the webview, through the host (see linkClicks); remote images are not loaded (the CSP blocks
// them anyway). A link whose target is not an openable URL loses its href: it is text, whatever produced it.
DOMPurify.addHook('afterSanitizeAttributes', (node) => {
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

export function renderMarkdown(source: string): string {
  renders++;
  renderedChars += source.length;
  return DOMPurify.sanitize(md.render(source), {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['img', 'style', 'form', 'input', 'button', 'iframe'],
    FORBID_ATTR: ['style'],
  });
}
