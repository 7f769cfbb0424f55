// Tally's own activation time in the real extension host: recorded, printed and saved for `npm run bench`
// (bench/activation.ts reads .cache/bench/activation.json). Information only: nothing here asserts on time, only that
// it was measured and is consistent.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, tallyApi } from './helpers';

describe('activation time', () => {
  it('is recorded at activation, printed, and saved for the bench', async () => {
    const api = await tallyApi();
    const t = api.activationTiming();
    assert.ok(t, 'activate() recorded no timing');
    assert.ok(t.bundleStartedAt <= t.bundleEvaluatedAt, 'the bundle stamps are in order');
    assert.ok(t.bundleEvaluatedAt <= t.activateStartedAt, 'activate() ran after the bundle loaded');
    assert.ok(t.activateStartedAt <= t.activateEndedAt, 'activate() stamps are in order');
    assert.ok(Number.isFinite(t.ownMs) && t.ownMs >= 0);
    const bundleMs = t.bundleEvaluatedAt - t.bundleStartedAt;
    const activateMs = t.activateEndedAt - t.activateStartedAt;
    console.log(
      `TALLY_ACTIVATION_MS=${t.ownMs.toFixed(1)} (bundle ${bundleMs.toFixed(1)} ms, activate() ${activateMs.toFixed(1)} ms, ` +
        `host started ${t.bundleStartedAt.toFixed(0)} ms before the bundle's first line)`,
    );
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const out = path.join(ext.extensionPath, '.cache', 'bench', 'activation.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const record = {
      recordedAt: new Date().toISOString(),
      vscode: vscode.version,
      node: process.versions.node,
      cores: os.cpus().length,
      bundleMs,
      activateMs,
      ownMs: t.ownMs,
      timing: t,
    };
    fs.writeFileSync(out, `${JSON.stringify(record, null, 2)}\n`);
    assert.equal(JSON.parse(fs.readFileSync(out, 'utf8')).ownMs, t.ownMs);
  });
});
