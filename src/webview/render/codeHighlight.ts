// Syntax highlighting of finished code blocks in replies, in theme colours (media/chat.css maps highlight.js's
// classes to VS Code's theme variables). highlight.js is not in the panel's bundle: its core and each language are
// separate files in dist/highlight/ (esbuild.js), imported the first time a reply has a block that needs them, from
// the folder the panel's own script came from. The highlighted HTML is built by highlight.js from the block's text
// (it escapes it) and is sanitised again to nothing but <span class> (the nodes DOMPurify returns are inserted as they
// are, not parsed again), and kept only if its text is the block's text.
// A block whose language is loaded already is highlighted while its markdown is rendered (markdown-it's `highlight`
// option: highlightInRender), so its spans go through the reply's one DOMPurify pass and the block is inserted and
// laid out once, highlighted: a streaming reply's blocks are laid out in the task that inserts them (render/panel.ts
// layOutAhead), and a block highlighted afterwards (in a microtask) was laid out a second time at the next frame,
// plain and then in spans; a DOMPurify pass of its own per block cost a parsed document each (bench/streamRender.ts).
// Such a block is checked as the others are: nothing but <span> in it, and its text the block's text.
import DOMPurify from 'dompurify';
import type { HLJSApi, LanguageFn } from 'highlight.js';
import { fenceTag, highlightFileFor } from './codeLanguage';

/** Tag -> language file, put in the bundle by esbuild.js (scripts/highlightLanguages.cjs). */
declare const __TALLY_HIGHLIGHT_LANGUAGES__: Record<string, string>;
const TABLE: Record<string, string> =
  typeof __TALLY_HIGHLIGHT_LANGUAGES__ === 'undefined' ? {} : __TALLY_HIGHLIGHT_LANGUAGES__;

/** Longer blocks stay plain: highlighting them would hold up the panel for little use. */
const MAX_HIGHLIGHT_CHARS = 100_000;

// Read while the bundle runs (document.currentScript is set only then). A bundle loaded without a URL (the benches
// inline it) has no folder to load from: blocks stay plain.
const scriptSrc =
  typeof document === 'undefined' ? '' : ((document.currentScript as HTMLScriptElement | null)?.src ?? '');
const base = scriptSrc ? new URL('highlight/', scriptSrc).href : undefined;

let core: Promise<HLJSApi> | undefined;
const languages = new Map<string, Promise<void>>();
/** highlight.js once its core is loaded, and the language files registered in it: a block in one of those is
 *  highlighted synchronously. */
let loadedCore: HLJSApi | undefined;
const loaded = new Set<string>();
const stats = { blocks: 0, languageLoads: 0 };

/** How many blocks were highlighted and how many language files were loaded (tests count). */
export function highlightStats(): { blocks: number; languageLoads: number } {
  return { ...stats };
}

async function importDefault<T>(file: string): Promise<T> {
  const module = (await import(/* @vite-ignore */ `${base}${file}.js`)) as { default: T };
  return module.default;
}

/** highlight.js with `file`'s language registered; each file is imported once. */
async function withLanguage(file: string): Promise<HLJSApi> {
  core ??= importDefault<HLJSApi>('core').then((hljs) => (loadedCore = hljs));
  const hljs = await core;
  let registered = languages.get(file);
  if (!registered) {
    stats.languageLoads++;
    registered = importDefault<LanguageFn>(`lang/${file}`).then((fn) => {
      hljs.registerLanguage(file, fn);
      loaded.add(file);
    });
    languages.set(file, registered);
  }
  await registered;
  return hljs;
}

/** The class of the empty span that starts a block highlighted in the render (model text cannot make one: markdown-it
 *  escapes raw HTML). */
const IN_RENDER = 'tally-highlighted';

/**
 * markdown-it's `highlight` option: a fenced block's HTML, highlighted, when its language is loaded (else '':
 * markdown-it escapes the text, and highlightCodeBlocks highlights the block once the language is). The HTML starts
 * with a marker span; `texts` gets the block's text, in order, for finishInRender to check against.
 */
export function highlightInRender(text: string, fence: string, texts: string[]): string {
  if (base === undefined || !loadedCore || text.length > MAX_HIGHLIGHT_CHARS) return '';
  const file = highlightFileFor(fenceTag(`language-${fence}`), TABLE);
  if (file === undefined || !loaded.has(file)) return '';
  const html = highlightHtml(loadedCore, text, file);
  if (html === undefined) return '';
  texts.push(text);
  return `<span class="${IN_RENDER}"></span>${html}`;
}

/** After the render's DOMPurify pass: the blocks highlightInRender highlighted (`texts`, in order) lose their marker
 *  and are kept highlighted if they hold nothing but spans and their text is the block's text; else they show their
 *  text, plain (the block's own when the markers and the texts do not pair up one to one). */
export function finishInRender(root: ParentNode, texts: readonly string[]): void {
  if (texts.length === 0) return; // no marker either: only highlightInRender writes one
  const markers = root.querySelectorAll(`pre > code > span.${IN_RENDER}:first-child`);
  const paired = markers.length === texts.length;
  markers.forEach((marker, i) => {
    const code = marker.parentElement as HTMLElement;
    marker.remove();
    const text = paired ? texts[i] : undefined;
    settle(
      code,
      text ?? code.textContent ?? '',
      text !== undefined && code.textContent === text && code.querySelector(':not(span)') === null,
    );
  });
}

/** Highlights every finished code block under `root` whose language is known and that the render did not highlight,
 *  once highlight.js has its language (never throws). */
export function highlightCodeBlocks(root: ParentNode): void {
  if (base === undefined) return;
  for (const code of Array.from(root.querySelectorAll<HTMLElement>('pre > code'))) {
    const file = highlightFileFor(fenceTag(code.className), TABLE);
    if (file === undefined || code.dataset.highlighted !== undefined) continue;
    const text = code.textContent ?? '';
    if (text.length > MAX_HIGHLIGHT_CHARS) continue;
    code.dataset.highlighted = 'pending';
    withLanguage(file).then(
      (hljs) => {
        const html = highlightHtml(hljs, text, file);
        if (html === undefined) code.dataset.highlighted = 'failed';
        else paint(code, text, html);
      },
      () => {
        code.dataset.highlighted = 'failed';
      },
    );
  }
}

/** A DOMPurify instance that keeps nothing but <span class>, its configuration parsed once (not per block). */
let spansOnly: ReturnType<typeof DOMPurify> | undefined;

/** highlight.js's HTML as sanitised nodes (<span class> and text only), or undefined where DOMPurify cannot work. */
function sanitizeSpans(html: string): DocumentFragment | undefined {
  if (!spansOnly) {
    spansOnly = DOMPurify(window);
    spansOnly.setConfig({ ALLOWED_TAGS: ['span'], ALLOWED_ATTR: ['class'], RETURN_DOM_FRAGMENT: true });
  }
  const out: unknown = spansOnly.sanitize(html);
  return out instanceof DocumentFragment ? out : undefined;
}

/** highlight.js's HTML for `text` in `file`'s language, or undefined if it throws. */
function highlightHtml(hljs: HLJSApi, text: string, file: string): string | undefined {
  try {
    return hljs.highlight(text, { language: file, ignoreIllegals: true }).value;
  } catch {
    return undefined;
  }
}

function paint(code: HTMLElement, text: string, html: string): void {
  if (code.textContent !== text) return; // replaced meanwhile
  const spans = sanitizeSpans(html);
  if (spans) code.replaceChildren(spans);
  settle(code, text, spans !== undefined && code.textContent === text);
}

/** A highlighted block is kept as it is when `ok` (nothing but spans, and the block's text), else it shows `text`,
 *  plain. */
function settle(code: HTMLElement, text: string, ok: boolean): void {
  if (!ok) {
    code.textContent = text;
    code.dataset.highlighted = 'failed';
    return;
  }
  code.classList.add('hljs');
  code.dataset.highlighted = 'done';
  stats.blocks++;
}
