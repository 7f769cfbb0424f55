// Builds Tally with esbuild (tsc --noEmit typechecks separately: `npm run typecheck`).
//   dist/extension.js   the extension host bundle (node, cjs, `vscode` external)
//   dist/lazy/*.js      heavy libraries, each its own bundle, required on first use only (never at activation):
//                       the openai SDK, gpt-tokenizer with one file per encoding, the Redis client, and
//                       OpenTelemetry's SDK with its OTLP exporter (lazy/otlp.js, only when a collector is set)
//   dist/webview.js     the chat panel's browser bundle (iife)
//   dist/highlight/     highlight.js for the panel's code blocks, imported by it on first use: core.js and
//                       lang/<language>.js, one ES module each (scripts/highlightLanguages.cjs lists the languages)
//   l10n/bundle.l10n.<language>.json   the runtime strings of each display language, merged from i18n/<language>/*.json
//                       (scripts/l10nBundle.mjs; fails on a broken fragment or a key translated two ways)
// Flags: --production (minify, no source maps), --watch. Sizes are printed from esbuild's metafile.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const highlight = require('./scripts/highlightLanguages.cjs');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

// Bare specifiers that the host code imports dynamically, and the bundle file that serves each.
const LAZY = {
  openai: 'lazy/openai',
  // gpt-tokenizer: one self-contained bundle per encoding (its small BPE core is repeated in each; only the
  // encoding a model uses is ever loaded, and only in the token-count worker).
  'gpt-tokenizer/encoding/o200k_base': 'lazy/o200k_base',
  'gpt-tokenizer/encoding/cl100k_base': 'lazy/cl100k_base',
  '@redis/client': 'lazy/redis',
};

// Tally's own modules that are bundles of their own, imported dynamically by a relative path: source -> bundle.
// otlpSdk.ts gathers the OpenTelemetry SDK and its OTLP/HTTP exporter; it loads only once a collector is configured.
const LAZY_LOCAL = {
  'src/core/metrics/otlpSdk.ts': 'lazy/otlp',
};

// `import('./otlpSdk')` of a LAZY_LOCAL source becomes `require('<dir><bundle>.js')` (dynamic imports only: a static
// import would be a mistake that pulls the module into the importer's bundle, and is left to show in its size).
const lazyLocal = (dir) => ({
  name: 'lazy-local',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const source = path.relative(__dirname, path.resolve(args.resolveDir, args.path)).replace(/\\/g, '/');
      const out = LAZY_LOCAL[source] ?? LAZY_LOCAL[`${source}.ts`];
      return out ? { path: `${dir}${out.replace(/^lazy\//, '')}.js`, external: true } : undefined;
    });
  },
});

// A lazy specifier becomes `require('<dir><name>.js')`: from dist/extension.js that is './lazy/…', from a bundle
// that itself lives in dist/lazy/ (the token-count worker) it is './…'.
const lazyExternals = (dir) => ({
  name: 'lazy-externals',
  setup(build) {
    const filter = new RegExp(
      `^(${Object.keys(LAZY)
        .map((k) => k.replace(/[/.]/g, '\\$&'))
        .join('|')})$`,
    );
    build.onResolve({ filter }, (args) => ({
      path: `${dir}${LAZY[args.path].replace(/^lazy\//, '')}.js`,
      external: true,
    }));
  },
});

// `import * as vscode from 'vscode'` in each of ~15 modules would each copy the whole API object (esbuild's __toESM
// defines a getter per property: hundreds), ~0.5-1 ms apiece in the real extension host while the bundle loads.
// Every import of 'vscode' resolves to one module that re-exports it, so that copy happens once.
const vscodeOnce = {
  name: 'vscode-once',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'vscode-once'
        ? { path: 'vscode', external: true }
        : { path: 'vscode', namespace: 'vscode-once' },
    );
    build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({
      contents: "export * from 'vscode';",
      loader: 'js',
    }));
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  metafile: true,
  legalComments: 'none',
};

const builds = [
  {
    ...common,
    entryPoints: { extension: 'src/host/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    plugins: [vscodeOnce, lazyExternals('./lazy/'), lazyLocal('./lazy/')],
    // import('openai') -> require('./lazy/openai.js'), which the extension host's CommonJS loader resolves.
    supported: { 'dynamic-import': false },
  },
  {
    ...common,
    entryPoints: {
      ...Object.fromEntries(Object.entries(LAZY).map(([spec, out]) => [out, spec])),
      ...Object.fromEntries(Object.entries(LAZY_LOCAL).map(([source, out]) => [out, source])),
    },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  // The token-count worker (src/core/tokens/tokenCountWorker.ts): started with worker_threads, loads its encoding lazily.
  {
    ...common,
    entryPoints: { 'lazy/tokenCountWorker': 'src/core/tokens/tokenCountWorker.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    plugins: [lazyExternals('./')],
    supported: { 'dynamic-import': false },
  },
  {
    ...common,
    entryPoints: { webview: 'src/webview/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    // Fence tag -> language file (~2 KB), so the panel loads only the file a block needs.
    define: { __TALLY_HIGHLIGHT_LANGUAGES__: JSON.stringify(highlight.aliasTable()) },
  },
  {
    ...common,
    entryPoints: {
      'highlight/core': 'highlight.js/lib/core',
      ...Object.fromEntries(highlight.LANGUAGES.map((l) => [`highlight/lang/${l}`, `highlight.js/lib/languages/${l}`])),
    },
    outdir: 'dist',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
  },
];

function report(results) {
  const rows = [];
  for (const r of results) {
    for (const [file, out] of Object.entries(r.metafile.outputs)) {
      if (!file.endsWith('.map')) rows.push(`${(out.bytes / 1024).toFixed(1).padStart(8)} KiB  ${file}`);
    }
  }
  console.log(`esbuild${production ? ' (production)' : ''}:\n${rows.join('\n')}`);
  fs.mkdirSync('.cache', { recursive: true });
  fs.writeFileSync(path.join('.cache', 'esbuild-meta.json'), JSON.stringify(results.map((r) => r.metafile)));
}

/** In watch mode the translation fragments are merged again when one changes (a broken one is reported, and the
 *  bundles it would have changed stay as they were), so a running `npm run watch` picks up a new translation. */
function watchTranslations(writeBundles) {
  let timer;
  const rebuild = () => {
    try {
      for (const b of writeBundles()) console.log(`l10n: ${path.relative(__dirname, b.file)} (${b.keys} strings)`);
    } catch (e) {
      console.error(e.message);
    }
  };
  fs.watch(path.join(__dirname, 'i18n'), { recursive: true }, () => {
    clearTimeout(timer);
    timer = setTimeout(rebuild, 100);
  });
}

async function main() {
  const { writeBundles } = await import('./scripts/l10nBundle.mjs');
  const bundles = writeBundles();
  fs.rmSync('dist', { recursive: true, force: true });
  if (watch) {
    const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
    await Promise.all(contexts.map((c) => c.watch()));
    watchTranslations(writeBundles);
    console.log('esbuild: watching');
    return;
  }
  report(await Promise.all(builds.map((b) => esbuild.build(b))));
  for (const b of bundles) console.log(`l10n: ${path.relative(__dirname, b.file)} (${b.keys} strings)`);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
