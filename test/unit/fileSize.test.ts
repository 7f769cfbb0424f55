// One job per file: no source file grows past the house's ~300 lines (docs/ARCHITECTURE.md). A file that needs more
// is doing more than one thing; split it where the jobs part, and name each part for its job.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '../..');
const MAX_LINES = 300;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(ts|mts)$/.test(e.name) ? [p] : [];
  });
}

describe('file size', () => {
  it(`every file under src/ has at most ${MAX_LINES} lines`, () => {
    const files = sources(path.join(ROOT, 'src'));
    assert.ok(files.length > 50, `found the sources (${files.length})`);
    const over = files
      .map((f) => ({ file: path.relative(ROOT, f), lines: fs.readFileSync(f, 'utf8').split('\n').length - 1 }))
      .filter((f) => f.lines > MAX_LINES);
    assert.deepEqual(over, []);
  });
});
