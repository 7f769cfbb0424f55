// Theme colours only (issue #15): every colour in the panel's and the reports' CSS (media/*.css) and in the inline
// styles and SVG paint that src/ writes comes from VS Code's theme variables (var(--vscode-…)) or is one of the
// keywords that follow them (transparent, currentColor, inherit, …). A hard-coded colour — hex, rgb(), hsl(), a
// named colour such as `white` — would stay the same in light, dark and high-contrast themes and become unreadable in
// one of them.
// var() fallbacks: allowed, but only to another theme variable or one of those keywords (e.g. var(--vscode-
// panel-border, transparent)). A hard-coded fallback is refused like any other hard-coded colour: VS Code defines its
// colour variables in every webview, so the fallback only shows in a theme that lacks the variable — exactly where
// nobody checked that the hard-coded colour is readable.
// CSS system colours (CanvasText, Highlight, …) are allowed only inside @media (forced-colors: active): there the
// browser replaces every colour with the user's system palette, and the system colours are the ones that palette has.
// Named colours are caught without a list of them: in a colour property, every word that is not a theme variable must
// be one of the few non-colour keywords below (border styles, widths, `none`, …); anything else is taken for a colour.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const REPO = path.resolve(__dirname, '..', '..');

/** Properties whose value is, or may contain, a colour. */
const COLOUR_PROPERTY =
  /^(color|background|background-color|border(-(top|right|bottom|left|block|inline)(-(start|end))?)?(-color)?|outline(-color)?|box-shadow|text-shadow|text-decoration(-color)?|caret-color|accent-color|column-rule(-color)?|fill|stroke|stop-color|flood-color|lighting-color|scrollbar-color)$/i;

/** Words allowed in a colour property besides theme variables: colour keywords that follow the theme, and others. */
const NON_COLOUR_WORDS = new Set(
  [
    'transparent currentcolor inherit initial unset revert revert-layer none',
    'solid dashed dotted double groove ridge inset outset hidden auto thin medium thick',
    'underline overline line-through wavy no-repeat repeat center top bottom left right',
  ]
    .join(' ')
    .split(' '),
);

/** The CSS system colours (CSS Color 4), the forced-colors palette. */
const SYSTEM_COLOURS = new Set(
  [
    'AccentColor AccentColorText ActiveText ButtonBorder ButtonFace ButtonText Canvas CanvasText Field FieldText',
    'GrayText Highlight HighlightText LinkText Mark MarkText SelectedItem SelectedItemText VisitedText',
  ]
    .join(' ')
    .toLowerCase()
    .split(' '),
);

/** What is wrong with one declaration's value (empty when it uses theme colours only). */
export function colourProblems(property: string, rawValue: string, forcedColours = false): string[] {
  // Quoted strings (content: '…', url("…")) are not colours; var(--name is the theme's, its fallback is checked.
  const value = rawValue.replace(/(["'])(?:\\.|(?!\1).)*\1/g, '""').replace(/var\(\s*--[\w-]+\s*,?/g, '(');
  const problems: string[] = [];
  for (const m of value.matchAll(/#[0-9a-f]{3,8}\b/gi)) problems.push(`hex colour ${m[0]}`);
  for (const m of value.matchAll(/\b(rgba?|hsla?|hwb|lab|lch|oklab|oklch|color|color-mix|light-dark)\(/gi))
    problems.push(`colour function ${m[1]}()`);
  if (COLOUR_PROPERTY.test(property.trim())) {
    const words = value
      .replace(/url\([^)]*\)/gi, '')
      .replace(/[a-z-]+\(/gi, '(') // function names (a colour function is reported above)
      .replace(/#[0-9a-f]+/gi, '')
      .replace(/-?\d*\.?\d+[a-z%]*/gi, '')
      .match(/[a-z][\w-]*/gi);
    for (const w of words ?? []) {
      const word = w.toLowerCase();
      if (!NON_COLOUR_WORDS.has(word) && !(forcedColours && SYSTEM_COLOURS.has(word)))
        problems.push(`named colour ${w}`);
    }
  }
  return problems.map((p) => `${property.trim()}: ${rawValue.trim()} — ${p}`);
}

/** Every declaration of a style sheet (comments dropped; only innermost blocks hold declarations). */
function declarations(css: string): [property: string, value: string][] {
  const out: [string, string][] = [];
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  for (const block of text.matchAll(/\{([^{}]*)\}/g)) out.push(...inlineDeclarations(block[1]));
  return out;
}

/** The declarations of a style attribute's text, `color: x; background: y`. */
function inlineDeclarations(style: string): [string, string][] {
  const out: [string, string][] = [];
  for (const d of style.split(';')) {
    const i = d.indexOf(':');
    if (i > 0) out.push([d.slice(0, i), d.slice(i + 1)]);
  }
  return out;
}

/** Splits a style sheet into its `@media (forced-colors: active) { … }` blocks and the rest (braces matched). */
function splitForcedColours(css: string): { forced: string; rest: string } {
  let forced = '';
  let rest = css.replace(/\/\*[\s\S]*?\*\//g, '');
  for (let m; (m = /@media[^{]*forced-colors\s*:\s*active[^{]*\{/i.exec(rest));) {
    let depth = 1;
    let i = m.index + m[0].length;
    for (; i < rest.length && depth > 0; i++) depth += rest[i] === '{' ? 1 : rest[i] === '}' ? -1 : 0;
    forced += rest.slice(m.index + m[0].length, i - 1);
    rest = rest.slice(0, m.index) + rest.slice(i);
  }
  return { forced, rest };
}

export function cssProblems(css: string): string[] {
  const { forced, rest } = splitForcedColours(css);
  return [
    ...declarations(rest).flatMap(([p, v]) => colourProblems(p, v)),
    ...declarations(forced).flatMap(([p, v]) => colourProblems(p, v, true)),
  ];
}

/**
 * The colours a TypeScript source writes into the DOM or an HTML/SVG string: style="…" attributes, <style> blocks,
 * el.style.prop = '…', style.setProperty('prop', '…'), and SVG paint attributes (fill, stroke, stop-color, color).
 */
export function sourceProblems(source: string): string[] {
  const problems: string[] = [];
  for (const m of source.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/gi)) problems.push(...cssProblems(m[1]));
  for (const m of source.matchAll(/\bstyle\s*=\s*(["'])(.*?)\1/gi))
    for (const [p, v] of inlineDeclarations(m[2])) problems.push(...colourProblems(p, v));
  for (const m of source.matchAll(/\.style\.([a-zA-Z]+)\s*=\s*(["'`])(.*?)\2/g)) {
    const property = m[1].replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    problems.push(...colourProblems(property, m[3]));
  }
  for (const m of source.matchAll(/setProperty\(\s*(["'`])([\w-]+)\1\s*,\s*(["'`])(.*?)\3/g))
    problems.push(...colourProblems(m[2], m[4]));
  for (const m of source.matchAll(/\s(fill|stroke|stop-color|color)\s*=\s*(["'])(.*?)\2/gi))
    problems.push(...colourProblems(m[1], m[3]));
  return problems;
}

function files(dir: string, ext: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(ext))
    .map((f) => path.join(dir, f));
}

test('media/*.css uses theme colour variables only', () => {
  const sheets = files(path.join(REPO, 'media'), '.css');
  assert.ok(sheets.length >= 3, 'the panel and both reports have their style sheets');
  const found = sheets.flatMap((f) =>
    cssProblems(fs.readFileSync(f, 'utf8')).map((p) => `${path.relative(REPO, f)}: ${p}`),
  );
  assert.deepEqual(found, []);
});

test('src/ writes no hard-coded colour into inline styles, <style> blocks or SVG paint', () => {
  const sources = files(path.join(REPO, 'src'), '.ts');
  assert.ok(sources.length > 50);
  const found = sources.flatMap((f) =>
    sourceProblems(fs.readFileSync(f, 'utf8')).map((p) => `${path.relative(REPO, f)}: ${p}`),
  );
  assert.deepEqual(found, []);
});

test('the check catches each kind of hard-coded colour and lets theme colours through', () => {
  const bad = [
    '.a { color: #fff; }',
    '.a { background: rgb(0, 0, 0); }',
    '.a { border: 1px solid hsl(0 0% 50%); }',
    '.a { color: white; }',
    '.a { outline: 2px solid Highlight; }',
    '.a { background: var(--vscode-editor-background, #1e1e1e); }',
    '@media (min-width: 10px) { .a { box-shadow: 0 0 0 1px black; } }',
    '.a { color: CanvasText; }', // a system colour outside forced-colors mode
    '@media (forced-colors: active) { .a { color: white; } }', // forced colours: system colours only
  ];
  for (const css of bad) assert.equal(cssProblems(css).length, 1, css);
  const good = [
    '#fade, #bad { color: var(--vscode-foreground); }', // ids that look like hex are selectors, not values
    '.a { border: 1px solid var(--vscode-panel-border, transparent); outline: 1px dashed currentColor; }',
    '.a { background: var(--vscode-sideBar-background, var(--vscode-editor-background)); }',
    ".a::before { content: 'red #fff'; color: inherit; }",
    '.a { font-family: var(--vscode-font-family); padding: 4px 10px; }',
    '@media (forced-colors: active) { .a { color: CanvasText; border-color: Highlight; } } .b { color: inherit; }',
  ];
  for (const css of good) assert.deepEqual(cssProblems(css), [], css);
  assert.equal(sourceProblems('`<rect fill="#c00"/>`').length, 1);
  assert.equal(sourceProblems('`<div style="color: red; padding: 2px">`').length, 1);
  assert.equal(sourceProblems("el.style.backgroundColor = 'rgba(0,0,0,.5)';").length, 1);
  assert.equal(sourceProblems("el.style.setProperty('color', 'black');").length, 1);
  assert.equal(sourceProblems('`<style>.x { color: #000 }</style>`').length, 1);
  assert.deepEqual(sourceProblems('`<rect fill="currentColor" stroke="none"/>` el.style.height = "4px";'), []);
});
