#!/usr/bin/env node
// vscodeShim.mjs: a stand-in "VS Code executable" so that @vscode/test-electron works unchanged:
//   runTests({ vscodeExecutablePath: 'test/support/realVscode/vscodeShim.mjs', extensionDevelopmentPath, ... })
// It takes the desktop command line test-electron builds (--extensionDevelopmentPath=..., --extensionTestsPath=...,
// a workspace folder or .code-workspace file from launchArgs) and runs the tests in code-server's real extension host
// through runExtensionTests(). Electron/profile flags (--no-sandbox, --user-data-dir=..., --disable-extensions ...)
// are ignored: every run gets a fresh profile anyway, so no .vscode-test/ folder appears.
// The environment (e.g. test-electron's extensionTestsEnv) reaches the extension host.
// Env: TALLY_VSCODE_TIMEOUT = seconds before the run is abandoned (default 300).
// Must stay executable (chmod +x): test-electron spawns it directly.
import { runExtensionTests } from './runTests.mjs';

const dev = [],
  ignored = [];
let tests, folder;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const value = (name) =>
    a === `--${name}` ? argv[++i] : a.startsWith(`--${name}=`) ? a.slice(name.length + 3) : undefined;
  let v;
  if ((v = value('extensionDevelopmentPath')) !== undefined) dev.push(v);
  else if ((v = value('extensionTestsPath')) !== undefined) tests = v;
  else if (!a.startsWith('-'))
    folder = a; // launchArgs folder / workspace file
  else ignored.push(a);
}
if (dev.length !== 1 || !tests) {
  console.error('vscodeShim: need one --extensionDevelopmentPath and one --extensionTestsPath; got', argv.join(' '));
  process.exit(2);
}
if (ignored.length) console.log('vscodeShim: ignoring', ignored.join(' '));
process.exit(
  await runExtensionTests({
    extensionDevelopmentPath: dev[0],
    extensionTestsPath: tests,
    folder,
    timeoutS: Number(process.env.TALLY_VSCODE_TIMEOUT || 300),
  }).catch((e) => {
    console.error('vscodeShim:', e.message);
    return 1;
  }),
);
