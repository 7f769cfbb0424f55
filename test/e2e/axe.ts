// axe-core (the maintained accessibility engine) run inside a webview's document, for the UI tests
// (test/e2e/accessibility.e2e.ts). A webview is two nested iframes (iframe.webview.ready → #active-frame); axe must run
// in the inner document, so the playwright Frame behind a FrameLocator is looked up and axe.min.js is evaluated there.
// Playwright's evaluate goes through the DevTools protocol, which the webview's CSP (script-src with a nonce) does not
// govern: the panel keeps its real CSP while axe runs.
import * as fs from 'node:fs';
import type { Frame, FrameLocator } from 'playwright-core';

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core').replace(/axe\.js$/, 'axe.min.js'), 'utf8');

// A page without scripts (the usage report: enableScripts false) runs no timer callbacks, and axe waits on
// setTimeout between its steps, so its promise would never settle. There the timers are replaced, for axe only, by
// microtasks (which do run): the page itself has no script that could notice.
const MICROTASK_TIMERS = `(() => {
  const soon = (fn, _ms, ...args) => { Promise.resolve().then(() => fn(...args)); return 0; };
  globalThis.setTimeout = soon;
  globalThis.requestAnimationFrame = (fn) => soon(fn, 0, 0);
  globalThis.requestIdleCallback = (fn) => soon(fn, 0, { didTimeout: false, timeRemaining: () => 50 });
  globalThis.clearTimeout = () => undefined;
})()`;

/** Whether a setTimeout callback runs in the frame within 2 s. */
async function timersRun(frame: Frame): Promise<boolean> {
  return Promise.race([
    frame.evaluate('new Promise((resolve) => setTimeout(() => resolve(true), 0))').then(
      (v) => v === true,
      () => false,
    ),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2_000)),
  ]);
}

/** WCAG 2.1 A and AA, plus axe's best practices (minus the page-level rules set aside in `disabled`). */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** The playwright Frame of a webview's inner document (the #active-frame that `view` points into). */
export async function frameOf(view: FrameLocator): Promise<Frame> {
  const handle = await view.owner().elementHandle();
  const frame = await handle?.contentFrame();
  if (!frame) throw new Error('the webview has no inner frame');
  return frame;
}

/**
 * Runs axe on the whole document of `frame` with AXE_TAGS; `disabled` maps each rule left out to the reason (the
 * caller says why a rule does not apply to its page). Resolves to the violations (none = accessible as far as axe
 * can tell).
 */
export async function runAxe(frame: Frame, disabled: Record<string, string> = {}): Promise<AxeViolation[]> {
  const loaded = await frame.evaluate('typeof globalThis.axe');
  if (loaded !== 'object') {
    if (!(await timersRun(frame))) await frame.evaluate(MICROTASK_TIMERS);
    await frame.evaluate(`${AXE_SOURCE}\n;void 0`);
  }
  const options = {
    runOnly: { type: 'tag', values: AXE_TAGS },
    rules: Object.fromEntries(Object.keys(disabled).map((id) => [id, { enabled: false }])),
    resultTypes: ['violations'],
  };
  return frame.evaluate(
    `globalThis.axe.run(document, ${JSON.stringify(options)}).then((r) => r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    })))`,
  ) as Promise<AxeViolation[]>;
}

/** One line per violation and up to five of its elements: rule id, impact, what to fix, where. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => {
      const where = v.nodes
        .slice(0, 5)
        .map((n) => `    ${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 300)}`)
        .join('\n');
      return `  ${v.id} (${v.impact ?? 'n/a'}): ${v.help} — ${v.nodes.length} element(s)\n${where}`;
    })
    .join('\n');
}
