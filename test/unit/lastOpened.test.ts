import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { LastOpened } from '../../src/core/conversations/lastOpened';
import { ConversationStore } from '../../src/core/conversations/store';
import { silentLogger, systemClock } from '../../src/core/ports';

describe('last opened conversation', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-last-'));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('is remembered across instances, and a damaged file means nothing to reopen', async () => {
    assert.equal(await new LastOpened(root).get(), undefined);
    await new LastOpened(root).set('c123abc');
    assert.equal(await new LastOpened(root).get(), 'c123abc');
    fs.writeFileSync(path.join(root, 'conversations', '.last-open.json'), '{"id": "../../etc/passwd"}');
    assert.equal(await new LastOpened(root).get(), undefined);
    fs.writeFileSync(path.join(root, 'conversations', '.last-open.json'), '{not json');
    assert.equal(await new LastOpened(root).get(), undefined);
  });

  it('is not taken for a conversation by the store', async () => {
    await new LastOpened(root).set('c456def');
    const store = new ConversationStore({ root, logger: silentLogger, clock: systemClock, newId: (p) => `${p}1` });
    assert.deepEqual(await store.list(), []);
    assert.deepEqual(store.takeWarnings(), []);
    assert.ok(fs.existsSync(path.join(root, 'conversations', '.last-open.json')));
  });
});
