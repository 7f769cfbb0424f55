// A Chromium trace of the page's main thread over a stretch of a bench, for what CDP's Performance metrics cannot
// tell: how much of each task the thread spent running (thread time) rather than waiting (wall time: descheduled by
// a loaded machine, or blocked on a synchronous call to the browser process), and how many synchronous font-fallback
// calls the renderer made. Chromium asks the browser process which font has a character whenever it shapes text
// that holds one the page's fonts lack (on a machine without CJK or emoji fonts, every CJK and emoji run), and waits
// for the answer; under load each answer takes milliseconds.
import type { CDPSession } from 'playwright-core';

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

export interface MainThreadTrace {
  /** Every task on the page's main thread: wall time and thread (CPU) time, ms. */
  wallMs: number;
  cpuMs: number;
  /** The longest task by wall time: its wall and thread time; and the most thread time any one task took. */
  longestWallMs: number;
  longestCpuMs: number;
  maxCpuMs: number;
  /** Synchronous font-fallback calls to the browser process, and the wall time the main thread waited on them. */
  fontFallbackCalls: number;
  fontFallbackWaitMs: number;
}

const FALLBACK = 'WebSandboxSupportLinux::GetFallbackFontForCharacter';

/** Starts tracing `cdp`'s page; the returned function stops it and sums up its main thread. */
export async function traceMainThread(cdp: CDPSession): Promise<() => Promise<MainThreadTrace>> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (d) => events.push(...(d.value as unknown as TraceEvent[])));
  await cdp.send('Tracing.start', { categories: 'toplevel,fonts,devtools.timeline', transferMode: 'ReportEvents' });
  return async () => {
    const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.end');
    await complete;
    return summarise(events);
  };
}

function summarise(events: TraceEvent[]): MainThreadTrace {
  // The page's main thread is the renderer main thread that laid it out (other renderers may be in the trace).
  const layouts = new Map<string, number>();
  for (const e of events)
    if (e.name === 'Layout') layouts.set(`${e.pid}:${e.tid}`, (layouts.get(`${e.pid}:${e.tid}`) ?? 0) + 1);
  const main = [...layouts].sort((a, b) => b[1] - a[1])[0]?.[0];
  const mine = events.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X');
  const tasks = mine.filter((e) => e.name === 'ThreadControllerImpl::RunTask');
  const longest = tasks.reduce<TraceEvent | undefined>(
    (a, e) => (!a || (e.dur ?? 0) > (a.dur ?? 0) ? e : a),
    undefined,
  );
  const calls = mine.filter((e) => e.name === FALLBACK);
  const ms = (xs: TraceEvent[], k: 'dur' | 'tdur') => xs.reduce((s, e) => s + (e[k] ?? 0), 0) / 1000;
  return {
    wallMs: ms(tasks, 'dur'),
    cpuMs: ms(tasks, 'tdur'),
    longestWallMs: (longest?.dur ?? 0) / 1000,
    longestCpuMs: (longest?.tdur ?? 0) / 1000,
    maxCpuMs: Math.max(0, ...tasks.map((e) => (e.tdur ?? 0) / 1000)),
    fontFallbackCalls: calls.length,
    fontFallbackWaitMs: ms(calls, 'dur'),
  };
}
