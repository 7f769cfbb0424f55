// Once, when the panel is idle after it opened: a few lines of markdown with Chinese and emoji in each kind of text a
// reply has (paragraph, bold, italic, inline code, code block, list, headings) are rendered and laid out in a hidden
// element, then removed. What a renderer process does the first time it lays such text out is then done before the
// first reply, not inside its first paints: matching each name of the panel's font stack (media/chat.css) for each
// size and weight, on Linux a synchronous call to the browser process each (the streaming bench saw 12-22 of them,
// 12-30 ms of waiting, in a single early task of 52-63 ms), and markdown-it's and DOMPurify's first run. The fonts
// found stay in the process's font cache; nothing of the sample stays in the page.
import { renderMarkdown } from './markdown';

const SAMPLE =
  '# 中文 😀\n\n## 中文 😀\n\n### 中文 😀\n\n' +
  '中文 😀 🌡 **粗体 😀** *斜体 😀* `代码 😀`\n\n- 列表 😀\n\n```\n代码 😀 🌡\n```\n';

/** Lays the sample out once `document` is idle (or after at most a second). */
export function warmUpWhenIdle(): void {
  const run = () => {
    const el = document.createElement('div');
    el.className = 'content markdown warm-up';
    el.setAttribute('aria-hidden', 'true');
    el.append(renderMarkdown(SAMPLE, { counted: false }));
    document.body.append(el);
    void el.offsetHeight; // laid out now
    el.remove();
  };
  if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 1000 });
  else setTimeout(run, 0);
}
