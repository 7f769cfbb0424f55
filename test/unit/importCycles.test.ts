// No import cycles in src/: every relative import of every src/**/*.ts (type-only imports included) is walked, and
// a cycle fails the test naming its files. Cycles make the load order decide behaviour and the rooms meaningless.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { findCycles, importGraph } from '../support/importGraph';

const root = path.resolve(__dirname, '../..');

describe('import cycles', () => {
  it('src/ has none (type imports included)', () => {
    const graph = importGraph(path.join(root, 'src'), root);
    assert.ok(graph.size > 50, `walked ${graph.size} files`);
    assert.ok(
      [...graph.values()].some((targets) => targets.length > 0),
      'imports were found',
    );
    const cycles = findCycles(graph).map((c) => c.join(' -> '));
    assert.deepEqual(cycles, [], `import cycles:\n${cycles.join('\n')}`);
  });

  it('the detector finds a cycle, a self-import and none in a tree', () => {
    const graph = new Map<string, string[]>([
      ['a.ts', ['b.ts', 'd.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts', 'd.ts']],
      ['d.ts', []],
      ['e.ts', ['e.ts']],
      ['f.ts', ['d.ts', 'a.ts']],
    ]);
    assert.deepEqual(findCycles(graph).sort(), [
      ['a.ts', 'b.ts', 'c.ts', 'a.ts'],
      ['e.ts', 'e.ts'],
    ]);
    assert.deepEqual(
      findCycles(
        new Map([
          ['x.ts', ['y.ts']],
          ['y.ts', []],
        ]),
      ),
      [],
    );
  });

  it('reads type-only imports, re-exports, dynamic imports and folder indexes; ignores packages', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tally-imports-'));
    try {
      mkdirSync(path.join(dir, 'room'));
      writeFileSync(
        path.join(dir, 'a.ts'),
        "import type { B } from './b';\nexport * from './c';\nimport fs from 'node:fs';\n",
      );
      writeFileSync(path.join(dir, 'b.ts'), "export type B = 1;\nexport const load = () => import('./room');\n");
      writeFileSync(path.join(dir, 'c.ts'), "export { x } from './room/index';\n");
      writeFileSync(path.join(dir, 'room', 'index.ts'), "import type { B } from '../a';\nexport const x = 1;\n");
      const graph = importGraph(dir, dir);
      assert.deepEqual(Object.fromEntries(graph), {
        'a.ts': ['b.ts', 'c.ts'],
        'b.ts': ['room/index.ts'],
        'c.ts': ['room/index.ts'],
        'room/index.ts': ['a.ts'],
      });
      assert.deepEqual(findCycles(graph), [['a.ts', 'b.ts', 'room/index.ts', 'a.ts']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
