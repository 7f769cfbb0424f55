// The extensionTestsPath module (out/integration/index.js): the extension host requires it and awaits run().
// Mocha with the BDD interface runs every *.test.js below this folder, in path order, and prints one
// machine-readable line that `npm test` (scripts/test.mjs) reads:  TALLY_MOCHA_RESULT passed=N failed=N
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

function testFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return testFiles(p);
      return e.isFile() && e.name.endsWith('.test.js') ? [p] : [];
    })
    .sort();
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false });
  // TALLY_TEST_PHASE set: one run of the restart suite (restart/, see runIntegration.mjs); else the main suite.
  const phase = process.env.TALLY_TEST_PHASE;
  const restartDir = path.join(__dirname, 'restart');
  // TALLY_INTEGRATION_ONLY: only the main-suite files whose name contains it (see runIntegration.mjs).
  const only = process.env.TALLY_INTEGRATION_ONLY;
  const files = phase
    ? testFiles(restartDir)
    : testFiles(__dirname).filter(
        (f) => !f.startsWith(restartDir + path.sep) && (!only || path.basename(f).includes(only)),
      );
  // activation.test.js first, whatever sorts before it (actions.test.js does): its laziness checks need an extension
  // that has not answered any request yet.
  const first = (f: string) => (path.basename(f) === 'activation.test.js' ? 0 : 1);
  files.sort((a, b) => first(a) - first(b));
  for (const f of files) mocha.addFile(f);
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const passed = runner.stats?.passes ?? 0;
        // A failure in a hook fails no single test but counts as a failure here too.
        console.log(`TALLY_MOCHA_RESULT passed=${passed} failed=${failures}`);
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
        else if (files.length === 0 || passed === 0) reject(new Error('no integration test ran'));
        else resolve();
      });
    } catch (e) {
      console.log('TALLY_MOCHA_RESULT passed=0 failed=1');
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
}
