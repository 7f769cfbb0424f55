// A Chromium trace of the page's main thread over a stretch of a bench, for what CDP's Performance metrics cannot
// tell: how much of each task the thread spent running (thread time) rather than waiting (wall time: descheduled by
// a loaded machine, or blocked on a synchronous call to the browser process), and how many synchronous font-fallback
// calls the renderer made. Chromium asks the browser process which font has a character whenever it shapes text
// that holds one the page's fonts lack (on a machine without CJK or emoji fonts, every CJK and emoji run), and waits
// for the answer; under load each answer takes milliseconds.
import { writeFileSync } from 'node:fs';
import type { CDPSession } from 'playwright-core';

/** Traces stopped so far in this process: the files of a diagnosis are numbered by it. */
let dumps = 0;

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
  /** Thread time by rendering phase, ms (PHASES). Layout includes layout forced from script; script excludes it. */
  phases: Record<Phase, number>;
  /** Frames the main thread rendered (a frame's lifecycle runs pre-paint once; layout forced by script does not). */
  frames: number;
}

/** The phases the bench reports: style, layout, pre-paint, paint and layerize of a frame, and script. (The commit to
 *  the compositor is not in the traced categories: it falls in the rest.) */
const PHASES = {
  style: ['UpdateLayoutTree'],
  layout: ['Layout'],
  prePaint: ['PrePaint'],
  paint: ['Paint'],
  layerize: ['Layerize'],
  script: ['FunctionCall', 'TimerFire', 'FireAnimationFrame', 'EventDispatch', 'HandlePostMessage'],
} as const;
export type Phase = keyof typeof PHASES;

const FALLBACK = 'WebSandboxSupportLinux::GetFallbackFontForCharacter';

/** Starts tracing `cdp`'s page; the returned function stops it and sums up its main thread. */
export async function traceMainThread(cdp: CDPSession): Promise<() => Promise<MainThreadTrace>> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (d) => events.push(...(d.value as unknown as TraceEvent[])));
  // TALLY_BENCH_TRACE_CATEGORIES adds categories for a diagnosis (each adds tracing overhead to what is measured).
  const extra = process.env.TALLY_BENCH_TRACE_CATEGORIES ? `,${process.env.TALLY_BENCH_TRACE_CATEGORIES}` : '';
  await cdp.send('Tracing.start', {
    categories: `toplevel,fonts,devtools.timeline${extra}`,
    transferMode: 'ReportEvents',
  });
  // TALLY_BENCH_PROF=prefix: a CPU profile of the page beside each trace (prefix-N.cpuprofile), for a diagnosis.
  const prof = process.env.TALLY_BENCH_PROF;
  if (prof) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
  }
  return async () => {
    const n = ++dumps;
    if (prof) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(`${prof}-${n}.cpuprofile`, JSON.stringify(profile));
    }
    const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.end');
    await complete;
    // TALLY_BENCH_DUMP=prefix: each trace as prefix-N.json (Chrome's trace format: open it in chrome://tracing or
    // Perfetto), for a diagnosis the summary cannot give.
    if (process.env.TALLY_BENCH_DUMP)
      writeFileSync(`${process.env.TALLY_BENCH_DUMP}-${n}.json`, JSON.stringify({ traceEvents: events }));
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
    phases: phaseTimes(mine),
    frames: mine.filter((e) => e.name === 'PrePaint').length,
  };
}

/** Thread time per phase. Events nest (a script call may force style and layout, a frame runs script and layout):
 *  each event's time counts once, to the innermost phase event around it, so the phases add up without overlap. */
function phaseTimes(events: TraceEvent[]): Record<Phase, number> {
  const phaseOf = new Map<string, Phase>();
  for (const [phase, names] of Object.entries(PHASES) as [Phase, readonly string[]][])
    for (const n of names) phaseOf.set(n, phase);
  const own = events.filter((e) => phaseOf.has(e.name)).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const out = Object.fromEntries(Object.keys(PHASES).map((k) => [k, 0])) as Record<Phase, number>;
  // A stack of open events: each event's thread time minus that of the phase events directly inside it.
  const stack: { end: number; phase: Phase }[] = [];
  for (const e of own) {
    while (stack.length && stack[stack.length - 1].end <= e.ts) stack.pop();
    const t = (e.tdur ?? 0) / 1000;
    const phase = phaseOf.get(e.name) as Phase;
    out[phase] += t;
    if (stack.length) out[stack[stack.length - 1].phase] -= t;
    stack.push({ end: e.ts + (e.dur ?? 0), phase });
  }
  return out;
}
