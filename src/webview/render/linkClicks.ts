// Clicks on links in the panel go through the host, never through the webview's own navigation: the click is
// stopped here (before VS Code's webview frame turns it into an "open link"), and only an http:, https: or mailto:
// URL is posted to the host, which checks the scheme again before opening it outside VS Code.
import type { WebviewToHost } from '../../shared/protocol';
import { isOpenableUrl } from './linkSafety';

export function routeLinkClicks(root: HTMLElement, post: (msg: WebviewToHost) => void): void {
  const onClick = (e: MouseEvent): void => {
    const link = e.target instanceof Element ? e.target.closest('a') : null;
    if (!link || !root.contains(link)) return;
    e.preventDefault();
    e.stopPropagation();
    if (!e.isTrusted || (e.type === 'auxclick' && e.button !== 1)) return;
    const href = link.getAttribute('href');
    if (href !== null && isOpenableUrl(href)) post({ type: 'link/open', url: href });
  };
  root.addEventListener('click', onClick);
  root.addEventListener('auxclick', onClick);
}
