// Model output -> safe HTML. markdown-it with raw HTML disabled, then DOMPurify over the result, so nothing a model
// writes can run script or load remote content in the panel (the CSP is the second wall).
import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: true, breaks: false });

// Links open outside the webview; remote images are not loaded (the CSP blocks them anyway): show their alt text.
DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('rel', 'noopener noreferrer');
    node.setAttribute('target', '_blank');
  }
});

export function renderMarkdown(source: string): string {
  return DOMPurify.sanitize(md.render(source), {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['img', 'style', 'form', 'input', 'button', 'iframe'],
    FORBID_ATTR: ['style'],
  });
}
