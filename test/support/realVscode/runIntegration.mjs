// runIntegration.mjs: `npm test`'s integration step, after scripts/buildTests.mjs. It runs out/integration/index.js
// in a real VS Code extension host through the standard @vscode/test-electron runTests(), whose "VS Code
// executable" is vscodeShim.mjs (code-server 4.139.1 + Chromium; nothing is downloaded).
//   node test/support/realVscode/runIntegration.mjs      exit code 0 = every test passed
// Env: TALLY_VSCODE_TIMEOUT (seconds, default 300); everything else in the environment reaches the extension host.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { HARNESS, REPO } from './chromium.mjs';

const { runTests } = createRequire(path.join(REPO, 'package.json'))('@vscode/test-electron');
const extensionTestsPath = path.join(REPO, 'out', 'integration', 'index.js');
if (!fs.existsSync(extensionTestsPath)) {
  console.error(`runIntegration: ${extensionTestsPath} is missing: node scripts/buildTests.mjs`);
  process.exit(1);
}
if (!fs.existsSync(path.join(REPO, 'dist', 'extension.js'))) {
  console.error('runIntegration: dist/extension.js is missing: node esbuild.js');
  process.exit(1);
}
try {
  await runTests({
    vscodeExecutablePath: path.join(HARNESS, 'vscodeShim.mjs'),
    extensionDevelopmentPath: REPO,
    extensionTestsPath,
    launchArgs: [path.join(REPO, 'test', 'fixtures', 'workspace')],
  });
} catch (e) {
  console.error('runIntegration:', e.message);   // TestRunFailedError: "Test run failed with code 1"
  process.exit(1);
}
