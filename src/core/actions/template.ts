// Prompt templates of the code actions (issue #13): `{{name}}` placeholders filled from one action's input, in one
// pass over the template, so text that arrives in a value (a selection containing "{{file}}") is never expanded.
// The code goes in a fence longer than any run of backticks inside it, so no code can close its fence early.

/** The placeholders a template may use (built-in and custom actions alike). */
export const PLACEHOLDERS = ['selection', 'language', 'file', 'range', 'diagnostics'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** `{{ name }}` with optional spaces; the name is letters, digits, `_`, `.` or `-` (so typos are caught too). */
const PLACEHOLDER_PATTERN = /\{\{\s*([\w.-]+)\s*\}\}/g;

/** The placeholder names `template` uses, in order of first use. */
export function placeholdersIn(template: string): string[] {
  const names = new Set<string>();
  for (const m of template.matchAll(PLACEHOLDER_PATTERN)) names.add(m[1]);
  return [...names];
}

/** A backtick fence longer than the longest run of backticks in `code` (at least three). Linear in `code`. */
export function fenceFor(code: string): string {
  let longest = 0;
  let run = 0;
  for (let i = 0; i < code.length; i++) {
    if (code.charCodeAt(i) === 96 /* ` */) {
      run++;
      if (run > longest) longest = run;
    } else run = 0;
  }
  return '`'.repeat(Math.max(3, longest + 1));
}

/** `code` as a fenced block tagged with `language` (an info string never holds a backtick or a line break). */
export function fenced(code: string, language: string): string {
  const fence = fenceFor(code);
  const info = language.replace(/[`\s]/g, '');
  return `${fence}${info}\n${code}${code.endsWith('\n') ? '' : '\n'}${fence}`;
}

/** "line 4" or "lines 4–9" (1-based, inclusive). Part of the prompt the model reads, so English on purpose. */
export function lineRange(startLine: number, endLine: number): string {
  return startLine === endLine ? `line ${startLine}` : `lines ${startLine}–${endLine}`;
}

/** Replaces each known placeholder with its value, in one pass; an unknown name is left as written. */
export function renderTemplate(template: string, values: Readonly<Partial<Record<string, string>>>): string {
  return template.replace(PLACEHOLDER_PATTERN, (whole, name: string) => {
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    return value ?? whole;
  });
}
