// Files on disk, checked on disk, for each of the three stores (conversations, file cache, usage ledger): files are
// created 0600 and folders 0700; a symbolic link planted at a file or at a folder is refused and what it points to is
// untouched; a file over its size bound is set aside (the cache drops it) with one warning instead of being read.
// Oversized files are sparse (truncate), so a 256 MiB ledger costs no disk and no time.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto, { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MAX_CACHE_ENTRY_BYTES, type CacheEntry } from '../../src/core/cache/cacheEntry';
import { FileStore } from '../../src/core/cache/fileStore';
import { MAX_INDEX_FILE_BYTES } from '../../src/core/conversations/conversationIndex';
import { LastOpened, MAX_LAST_OPENED_BYTES } from '../../src/core/conversations/lastOpened';
import { ConversationStore, MAX_CONVERSATION_FILE_BYTES } from '../../src/core/conversations/store';
import { readBounded } from '../../src/core/files/boundedRead';
import { NotAFileError } from '../../src/core/files/fileErrors';
import { writeAtomic } from '../../src/core/files/privateWrite';
import type { Logger } from '../../src/core/ports';
import { MAX_LEDGER_MONTH_BYTES, MAX_LEDGER_SUMMARY_BYTES } from '../../src/core/usage/ledgerFiles';
import { UsageLedger } from '../../src/core/usage/ledger';
import { makeUsageRecord } from '../../src/core/usage/records';
import { FakeClock } from '../support/fakeClock';

const POSIX = process.platform !== 'win32';
const posixOnly = { skip: !POSIX && 'file modes, O_NOFOLLOW and unprivileged symlinks are POSIX' };

const modeOf = async (p: string) => (await fs.lstat(p)).mode & 0o777;
const keyOf = (name: string) => createHash('sha256').update(name).digest('hex');

function recorder(): Logger & { warns: string[]; errors: string[] } {
  const warns: string[] = [];
  const errors: string[] = [];
  const none = () => {};
  return {
    warns,
    errors,
    trace: none,
    debug: none,
    info: none,
    warn: (m: string) => {
      warns.push(m);
    },
    error: (m: string | Error) => {
      errors.push(String(m));
    },
  };
}

/** A file that is `bytes` long but takes no disk (sparse). */
async function sparse(file: string, bytes: number): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, '');
  await fs.truncate(file, bytes);
}

/** A file outside the store that a planted link points to, and a check that it was not touched. */
async function victim(root: string): Promise<{ file: string; dir: string; untouched(): Promise<void> }> {
  const dir = await fs.mkdtemp(path.join(root, 'victim-'));
  const file = path.join(dir, 'precious.txt');
  await fs.writeFile(file, 'precious');
  return {
    file,
    dir,
    async untouched() {
      assert.equal(await fs.readFile(file, 'utf8'), 'precious');
      assert.deepEqual(await fs.readdir(dir), ['precious.txt'], 'nothing was created in the folder the link points to');
    },
  };
}

let root: string;
let n = 0;
const fresh = () => path.join(root, `case-${++n}`);
before(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'tally-private-'));
});
after(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('conversation store files', () => {
  const store = (dir: string, logger: Logger = recorder()) =>
    new ConversationStore({ root: dir, logger, clock: new FakeClock(), newId: (p) => `${p}${++n}` });

  it(
    'creates conversation, index and last-opened files 0600 in 0700 folders, and tightens old 0755/0644 ones',
    posixOnly,
    async () => {
      const dir = fresh();
      await fs.mkdir(path.join(dir, 'conversations'), { recursive: true, mode: 0o755 });
      await fs.chmod(path.join(dir, 'conversations'), 0o755);
      const s = store(dir);
      const c = s.create();
      c.messages.push({ id: 'm1', role: 'user', content: 'hello', createdAt: 1 });
      await s.save(c);
      await new LastOpened(dir).set(c.id);
      const conv = path.join(dir, 'conversations');
      assert.equal(await modeOf(conv), 0o700);
      assert.equal(await modeOf(path.join(conv, '.trash')), 0o700);
      assert.equal(await modeOf(path.join(conv, `${c.id}.json`)), 0o600);
      assert.equal(await modeOf(path.join(conv, 'index.json')), 0o600);
      assert.equal(await modeOf(path.join(conv, '.last-open.json')), 0o600);
    },
  );

  it(
    'refuses to save through a link planted at the conversation file; the target is untouched',
    posixOnly,
    async () => {
      const dir = fresh();
      const v = await victim(root);
      const logger = recorder();
      const s = store(dir, logger);
      const c = s.create();
      await fs.mkdir(path.join(dir, 'conversations'), { recursive: true });
      await fs.symlink(v.file, path.join(dir, 'conversations', `${c.id}.json`));
      await assert.rejects(s.save(c), /symbolic link/);
      await v.untouched();
      assert.equal(logger.errors.length, 1, 'the refusal is logged');
      assert.match(s.takeWarnings().join('\n'), /could not save.*symbolic link/);
    },
  );

  it(
    'refuses to write anything when the conversations folder is a link; nothing is created where it points',
    posixOnly,
    async () => {
      const dir = fresh();
      const v = await victim(root);
      await fs.mkdir(dir, { recursive: true });
      await fs.symlink(v.dir, path.join(dir, 'conversations'));
      const s = store(dir);
      await assert.rejects(s.save(s.create()), /symbolic link/);
      await assert.rejects(new LastOpened(dir).set('c1'), /symbolic link/);
      await v.untouched();
    },
  );

  it('sets an oversized conversation file aside with one warning, and reads the rest', async () => {
    const dir = fresh();
    const logger = recorder();
    const s = store(dir, logger);
    const kept = s.create();
    await s.save(kept);
    const big = path.join(dir, 'conversations', 'c999.json');
    await sparse(big, MAX_CONVERSATION_FILE_BYTES + 1);
    assert.deepEqual(
      (await s.list()).map((x) => x.id),
      [kept.id],
    );
    assert.deepEqual(
      (await s.list()).map((x) => x.id),
      [kept.id],
    );
    const warnings = s.takeWarnings();
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0], /set aside.*c999\.json\.corrupt-.*more than the 67108864 bytes/);
    const aside = (await fs.readdir(path.join(dir, 'conversations'))).filter((f) => f.startsWith('c999.json.corrupt-'));
    assert.equal(aside.length, 1, 'kept, not deleted');
    assert.equal((await fs.stat(path.join(dir, 'conversations', aside[0]))).size, MAX_CONVERSATION_FILE_BYTES + 1);
  });

  it('sets an oversized index aside with one warning and rebuilds it from the files', async () => {
    const dir = fresh();
    const logger = recorder();
    const s = store(dir, logger);
    const c = s.create();
    await s.save(c);
    const index = path.join(dir, 'conversations', 'index.json');
    await sparse(index, MAX_INDEX_FILE_BYTES + 1);
    assert.deepEqual(
      (await s.list()).map((x) => x.id),
      [c.id],
    );
    assert.equal(logger.warns.filter((w) => /index/.test(w)).length, 1, logger.warns.join('\n'));
    assert.ok((await fs.stat(index)).size < 10_000, 'rebuilt');
    assert.ok((await fs.readdir(path.join(dir, 'conversations'))).includes('index.json.unreadable'));
  });

  it('sets an oversized last-opened file aside with one warning', async () => {
    const dir = fresh();
    const logger = recorder();
    const file = path.join(dir, 'conversations', '.last-open.json');
    await sparse(file, MAX_LAST_OPENED_BYTES + 1);
    assert.equal(await new LastOpened(dir, logger).get(), undefined);
    assert.equal(await new LastOpened(dir, logger).get(), undefined);
    assert.equal(logger.warns.length, 1, logger.warns.join('\n'));
    assert.ok((await fs.readdir(path.dirname(file))).includes('.last-open.json.unreadable'));
  });
});

describe('file cache files', () => {
  const entryFor = (key: string, clock: FakeClock): CacheEntry => ({
    version: 1,
    key,
    model: 'm',
    reply: 'Four.',
    usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 },
    createdAt: clock.now(),
    expiresAt: clock.now() + 60_000,
  });

  it('creates entries 0600 in 0700 folders', posixOnly, async () => {
    const dir = fresh();
    const clock = new FakeClock();
    const key = keyOf('a');
    await new FileStore({ dir, clock }).set(key, entryFor(key, clock), 60_000);
    assert.equal(await modeOf(dir), 0o700);
    assert.equal(await modeOf(path.join(dir, key.slice(0, 2))), 0o700);
    assert.equal(await modeOf(path.join(dir, key.slice(0, 2), `${key}.json`)), 0o600);
  });

  it(
    'refuses to write through a link at the entry file, at its shard folder or at the cache folder',
    posixOnly,
    async () => {
      const clock = new FakeClock();
      const key = keyOf('b');
      const v = await victim(root);
      // The entry file.
      const atFile = fresh();
      await fs.mkdir(path.join(atFile, key.slice(0, 2)), { recursive: true });
      await fs.symlink(v.file, path.join(atFile, key.slice(0, 2), `${key}.json`));
      await assert.rejects(
        new FileStore({ dir: atFile, clock }).set(key, entryFor(key, clock), 60_000),
        /symbolic link/,
      );
      // The shard folder.
      const atShard = fresh();
      await fs.mkdir(atShard, { recursive: true });
      await fs.symlink(v.dir, path.join(atShard, key.slice(0, 2)));
      await assert.rejects(
        new FileStore({ dir: atShard, clock }).set(key, entryFor(key, clock), 60_000),
        /symbolic link/,
      );
      // The cache folder itself.
      const parent = fresh();
      await fs.mkdir(parent, { recursive: true });
      await fs.symlink(v.dir, path.join(parent, 'cache'));
      await assert.rejects(
        new FileStore({ dir: path.join(parent, 'cache'), clock }).set(key, entryFor(key, clock), 60_000),
        /symbolic link/,
      );
      await v.untouched();
    },
  );

  it(
    'does not read an entry through a link: it is dropped with one warning and its target is untouched',
    posixOnly,
    async () => {
      const dir = fresh();
      const clock = new FakeClock();
      const key = keyOf('c');
      const v = await victim(root);
      await fs.writeFile(v.file, JSON.stringify(entryFor(key, clock)));
      const before = await fs.readFile(v.file, 'utf8');
      await fs.mkdir(path.join(dir, key.slice(0, 2)), { recursive: true });
      await fs.symlink(v.file, path.join(dir, key.slice(0, 2), `${key}.json`));
      const logger = recorder();
      assert.equal(await new FileStore({ dir, clock, logger }).get(key), undefined);
      assert.equal(logger.warns.length, 1);
      assert.equal(await fs.readFile(v.file, 'utf8'), before);
      await assert.rejects(fs.lstat(path.join(dir, key.slice(0, 2), `${key}.json`)), { code: 'ENOENT' });
    },
  );

  it('drops an oversized entry with one warning, at a read and at a scan, without reading it', async () => {
    const clock = new FakeClock();
    const key = keyOf('d');
    const dir = fresh();
    const file = path.join(dir, key.slice(0, 2), `${key}.json`);
    const logger = recorder();
    const store = new FileStore({ dir, clock, logger });
    await sparse(file, MAX_CACHE_ENTRY_BYTES + 1);
    assert.equal(await store.get(key), undefined);
    assert.equal(logger.warns.length, 1);
    assert.match(logger.warns[0], /more than the 4194304 bytes/);
    await assert.rejects(fs.stat(file), { code: 'ENOENT' });
    await sparse(file, MAX_CACHE_ENTRY_BYTES + 1);
    assert.deepEqual(await store.stats(), { entries: 0, bytes: 0 });
    assert.equal(logger.warns.length, 2);
    await assert.rejects(fs.stat(file), { code: 'ENOENT' });
  });
});

describe('usage ledger files', () => {
  const month = () => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
  };
  const record = (id: string) =>
    makeUsageRecord({
      id,
      at: Date.now(),
      workspace: 'w',
      model: 'gpt-4o-mini',
      usage: { promptTokens: 10, completionTokens: 1, totalTokens: 11 },
    });

  it(
    'creates the month file 0600 in a 0700 folder, and tightens a 0644 one at the next append',
    posixOnly,
    async () => {
      const dir = fresh();
      const ledger = new UsageLedger({ dir });
      assert.equal(await ledger.append(record('r1')), true);
      const file = path.join(dir, `usage-${month()}.jsonl`);
      assert.equal(await modeOf(dir), 0o700);
      assert.equal(await modeOf(file), 0o600);
      await fs.chmod(file, 0o644);
      assert.equal(await ledger.append(record('r2')), true);
      assert.equal(await modeOf(file), 0o600);
    },
  );

  it(
    'refuses to append through a link at the month file or at the folder; the targets are untouched',
    posixOnly,
    async () => {
      const v = await victim(root);
      const atFile = fresh();
      await fs.mkdir(atFile, { recursive: true });
      await fs.symlink(v.file, path.join(atFile, `usage-${month()}.jsonl`));
      const logger = recorder();
      assert.equal(await new UsageLedger({ dir: atFile, logger }).append(record('r3')), false);
      assert.match(logger.warns.join('\n'), /symbolic link/);
      const parent = fresh();
      await fs.mkdir(parent, { recursive: true });
      await fs.symlink(v.dir, path.join(parent, 'usage'));
      assert.equal(await new UsageLedger({ dir: path.join(parent, 'usage'), logger }).append(record('r4')), false);
      await v.untouched();
    },
  );

  it('sets an oversized month file aside with one warning, and counts what is appended next', async () => {
    const dir = fresh();
    const file = path.join(dir, `usage-${month()}.jsonl`);
    await sparse(file, MAX_LEDGER_MONTH_BYTES + 1);
    const logger = recorder();
    const ledger = new UsageLedger({ dir, logger });
    await ledger.load();
    await ledger.refresh();
    assert.equal(logger.warns.length, 1, logger.warns.join('\n'));
    assert.match(logger.warns[0], /set aside .*unreadable-.*more than the 268435456 bytes/);
    assert.equal(ledger.totals().requests, 0);
    assert.equal(await ledger.append(record('r5')), true);
    await ledger.refresh();
    assert.equal(ledger.totals().requests, 1);
    assert.equal((await fs.readdir(dir)).filter((f) => f.includes('.unreadable-')).length, 1, 'kept, not deleted');
  });

  it('sets an oversized or non-JSON summary aside with one warning each', async () => {
    const dir = fresh();
    await sparse(path.join(dir, 'usage-2020-01.summary.json'), MAX_LEDGER_SUMMARY_BYTES + 1);
    await fs.writeFile(path.join(dir, 'usage-2020-02.summary.json'), '{"v":1,"month":');
    const logger = recorder();
    const ledger = new UsageLedger({ dir, logger });
    await ledger.load();
    await ledger.refresh();
    assert.equal(logger.warns.length, 2, logger.warns.join('\n'));
    assert.equal((await fs.readdir(dir)).filter((f) => f.includes('.summary.json.unreadable-')).length, 2);
  });
});

describe('bounded reads', () => {
  it('refuse a FIFO at once instead of waiting for a writer that never comes', posixOnly, async () => {
    const fifo = path.join(root, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    await assert.rejects(readBounded(fifo, 1024), NotAFileError);
  });
});

describe('atomic writes', () => {
  it(
    'never open a temp name that is taken (a planted link): the next name is used and the link target is untouched',
    posixOnly,
    async (t) => {
      const dir = fresh();
      await fs.mkdir(dir, { recursive: true });
      const v = await victim(root);
      const file = path.join(dir, 'x.json');
      await fs.symlink(v.file, `${file}.7`);
      const names = [7, 8];
      t.mock.method(crypto, 'randomInt', () => names.shift());
      await writeAtomic(file, '{"ok":true}');
      assert.deepEqual(names, [], 'both names were tried');
      assert.equal(await fs.readFile(file, 'utf8'), '{"ok":true}');
      assert.equal(await modeOf(file), 0o600);
      assert.ok((await fs.lstat(`${file}.7`)).isSymbolicLink(), 'the planted link is left as it was');
      await v.untouched();
    },
  );
});
