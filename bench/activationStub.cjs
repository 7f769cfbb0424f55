// Quick, RELATIVE activation check in plain Node (not the real figure: bench/activationReal.mjs is): loads
// dist/extension.js with a stub `vscode` and prints Tally's own stamps (bundle evaluation, activate() and its steps).
// A stub's API calls cost nothing, so it shows the bundle and Tally's own code, not the host's inspect()/registration.
//   node esbuild.js && node bench/activationStub.cjs [repo]      (MODE=1 for production: no test API, no stamps)
// The real extension host has these built-ins loaded already (its extensionHostProcess.js imports them).
for (const m of [
  'crypto',
  'fs/promises',
  'stream',
  'child_process',
  'net',
  'http',
  'os',
  'zlib',
  'url',
  'string_decoder',
  'events',
  'util',
  'assert',
])
  require(m);
const Module = require('module');
const path = require('path');
const os = require('os');
const fs = require('fs');
const repo = path.resolve(process.argv[2] || path.join(__dirname, '..'));
const noop = () => {};
const disposable = () => ({ dispose: noop });
const event = () => disposable();
class EventEmitter {
  constructor() {
    this.l = [];
    this.event = (f) => {
      this.l.push(f);
      return disposable();
    };
  }
  fire(e) {
    for (const f of this.l) f(e);
  }
  dispose() {}
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-act-'));
const Uri = {
  file: (p) => ({ fsPath: p, path: p, scheme: 'file', toString: () => 'file://' + p }),
  joinPath: (u, ...s) => Uri.file(path.join(u.fsPath, ...s)),
};
const log = {
  info: noop,
  warn: noop,
  error: noop,
  debug: noop,
  trace: noop,
  append: noop,
  appendLine: noop,
  show: noop,
  dispose: noop,
  logLevel: 2,
  onDidChangeLogLevel: event,
};
const config = { inspect: (k) => ({ key: 'tally.' + k }), get: () => undefined };
const vscode = {
  EventEmitter,
  Uri,
  ExtensionMode: { Production: 1, Development: 2, Test: 3 },
  StatusBarAlignment: { Left: 1, Right: 2 },
  MarkdownString: class {
    constructor(v) {
      this.value = v || '';
    }
    appendMarkdown(s) {
      this.value += s;
      return this;
    }
    appendText(s) {
      this.value += s;
      return this;
    }
  },
  ThemeColor: class {},
  window: {
    createOutputChannel: () => log,
    showWarningMessage: noop,
    showErrorMessage: noop,
    showInformationMessage: noop,
    createStatusBarItem: () => ({ show: noop, hide: noop, dispose: noop }),
    onDidChangeWindowState: event,
    registerWebviewViewProvider: disposable,
  },
  workspace: {
    getConfiguration: () => config,
    onDidChangeConfiguration: event,
    workspaceFolders: undefined,
    workspaceFile: undefined,
  },
  commands: { registerCommand: disposable, executeCommand: async () => undefined },
};
const origLoad = Module._load;
Module._load = function (req, ...rest) {
  return req === 'vscode' ? vscode : origLoad.call(this, req, ...rest);
};
const secrets = { get: async () => undefined, store: async () => {}, delete: async () => {}, onDidChange: event };
const context = {
  subscriptions: [],
  extensionUri: Uri.file(repo),
  storageUri: Uri.file(path.join(tmp, 'ws')),
  globalStorageUri: Uri.file(path.join(tmp, 'global')),
  logUri: Uri.file(path.join(tmp, 'log')),
  secrets,
  globalState: {},
  workspaceState: {},
  extension: { packageJSON: { version: '0' } },
  extensionMode: Number(process.env.MODE || 2),
};
const t0 = performance.now();
const ext = require(path.join(repo, 'dist/extension.js'));
const t1 = performance.now();
const ret = ext.activate(context);
const t2 = performance.now();
Promise.resolve(ret).then(async (ret) => {
  const mods = Object.keys(require.cache).filter((k) => k.includes('/dist/'));
  const tm = ret && ret.activationTiming ? ret.activationTiming() : undefined;
  console.log(
    JSON.stringify({
      steps: tm && tm.steps,
      own: tm ? +tm.ownMs.toFixed(2) : 0,
      bundleMs: tm ? +(tm.bundleEvaluatedAt - tm.bundleStartedAt).toFixed(2) : 0,
      ownActivateMs: tm ? +(tm.activateEndedAt - tm.activateStartedAt).toFixed(2) : 0,
      requireMs: +(t1 - t0).toFixed(2),
      activateMs: +(t2 - t1).toFixed(2),
      totalMs: +(t2 - t0).toFixed(2),
      mods: mods.map((m) => path.basename(m)),
    }),
  );
  await ext.deactivate();
  fs.rmSync(tmp, { recursive: true, force: true });
  setTimeout(() => process.exit(0), 50);
});
