// A repository the user opens is untrusted input. Here the opened workspace's .vscode/settings.json (written the way
// a cloned repository would carry it) points every steering setting at a SECOND loopback server and a trap Redis
// port: the request must still reach only the user's own endpoint, the second server and the trap must see nothing
// (never the key), the user is told which settings were ignored, a $0 price from the workspace changes neither the
// budget check nor what the ledger records, and a plain-http endpoint elsewhere than this machine gets nothing.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { costOf, MODELS } from '../../src/core/tokens/models';
import { FakeOpenAIServer } from '../support/fakeOpenAI';
import { configure, useChatSuite, waitFor } from './helpers';

const KEY = 'sk-security-suite-key-5b0e41';
/** A dated snapshot no other suite uses: its per-model ledger totals are this file's alone. */
const PROBE_MODEL = 'gpt-4o-mini-2024-07-18';

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** Waits until the Tally log holds a line matching `re`; returns the log text. */
async function logMatching(logUri: vscode.Uri, re: RegExp): Promise<string> {
  let text = '';
  await waitFor(`a log line matching ${re}`, () => {
    text = filesUnder(path.dirname(logUri.fsPath))
      .filter((f) => /tally/i.test(f))
      .map((f) => fs.readFileSync(f, 'utf8'))
      .join('\n');
    return re.test(text);
  });
  return text;
}

/** The open folder's .vscode/settings.json, written directly as a cloned repository carries it. */
const workspaceSettingsFile = () =>
  path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, '.vscode', 'settings.json');

describe('security: a repository cannot steer requests, prices, the cache or budgets', () => {
  const suite = useChatSuite(KEY, { model: PROBE_MODEL, 'cache.mode': 'off', 'budget.dailyUsd': undefined });
  let hostile: FakeOpenAIServer;
  let trap: net.Server;
  let trapConnections = 0;

  before(async () => {
    assert.ok(vscode.workspace.workspaceFolders?.length, 'the suite runs with a folder open');
    hostile = await FakeOpenAIServer.start();
    trap = net.createServer((socket) => {
      trapConnections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
    const trapPort = (trap.address() as net.AddressInfo).port;
    fs.mkdirSync(path.dirname(workspaceSettingsFile()), { recursive: true });
    fs.writeFileSync(
      workspaceSettingsFile(),
      JSON.stringify(
        {
          'tally.baseUrl': hostile.baseUrl,
          'tally.cache.redisUrl': `redis://127.0.0.1:${trapPort}`,
          'tally.cache.mode': 'always',
          'tally.models': { 'gpt-4o-mini': { prices: { inputPerM: 0, cachedInputPerM: 0, outputPerM: 0 } } },
          'tally.budget.dailyUsd': 1000,
          'tally.budget.workspaceDailyUsd': 1000,
        },
        null,
        2,
      ),
    );
    await waitFor(
      'VS Code to read the workspace settings',
      () => vscode.workspace.getConfiguration('tally').inspect('baseUrl')?.workspaceValue === hostile.baseUrl,
    );
    await logMatching(suite.api.logUri, /Tally ignored tally\.cache\.redisUrl from this workspace's settings/);
  });

  after(async () => {
    fs.rmSync(path.dirname(workspaceSettingsFile()), { recursive: true, force: true });
    await waitFor(
      'VS Code to drop the workspace settings',
      () => vscode.workspace.getConfiguration('tally').inspect('baseUrl')?.workspaceValue === undefined,
    );
    await hostile.close();
    await new Promise((resolve) => trap.close(resolve));
  });

  it('the workspace really carries the hostile values (so the next tests prove something)', () => {
    const tally = vscode.workspace.getConfiguration('tally');
    assert.equal(tally.inspect('baseUrl')?.workspaceValue, hostile.baseUrl);
    assert.equal(tally.inspect('cache.mode')?.workspaceValue, 'always');
    assert.equal(tally.inspect('baseUrl')?.globalValue, suite.server.baseUrl);
  });

  it("the request goes only to the user's endpoint; the workspace's server and Redis see nothing", async () => {
    suite.server.enqueue({ text: 'From your own endpoint.', usage: { prompt_tokens: 10, completion_tokens: 4 } });
    await suite.api.receive({ type: 'chat/send', requestId: 'sec1', text: `which endpoint? ${Date.now()}` });
    const done = await suite.posts.next('chat/done', 'sec1');
    assert.equal(done.assistant.content, 'From your own endpoint.');
    assert.equal(suite.server.requests.length, 1);
    assert.equal(suite.server.requests[0].headers.authorization, `Bearer ${KEY}`);
    assert.equal(hostile.requests.length, 0, "the workspace's server got no request");
    assert.equal(trapConnections, 0, "nothing connected to the workspace's Redis");
    const log = await logMatching(suite.api.logUri, /Tally ignored tally\.baseUrl from this workspace's settings/);
    // tally.budget.dailyUsd is application-scoped: VS Code itself drops a workspace value before Tally sees it.
    for (const key of ['tally.baseUrl', 'tally.cache.redisUrl', 'tally.cache.mode', 'tally.models']) {
      assert.match(log, new RegExp(`Tally ignored ${key.replace(/\./g, '\\.')} from this workspace's settings`), key);
    }
    assert.equal((log.match(/Tally ignored tally\.baseUrl /g) ?? []).length, 1, 'said once, not on every read');
    assert.ok(!log.includes(KEY), 'the key is not in the log');
  });

  it("a $0 price from the workspace neither opens the user's budget nor lowers what the ledger records", async () => {
    const spent = (await suite.api.usage.totals()).today.costUsd;
    await configure({ 'budget.dailyUsd': spent + 0.0001 });
    try {
      await suite.api.receive({ type: 'chat/send', requestId: 'sec2', text: `over budget? ${Date.now()}` });
      const refused = await suite.posts.next('chat/error', 'sec2');
      assert.equal(refused.error.kind, 'budget', refused.error.message);
      assert.equal(suite.server.requests.length, 0, 'refused before anything was sent');
    } finally {
      await configure({ 'budget.dailyUsd': undefined });
    }
    const before = (await suite.api.usage.totals()).byModel.find((m) => m.model === PROBE_MODEL)?.totals.costUsd ?? 0;
    const usage = { prompt_tokens: 1_000_000, completion_tokens: 100_000 };
    suite.server.enqueue({ text: 'Priced.', usage });
    await suite.api.receive({ type: 'chat/send', requestId: 'sec3', text: `record the price ${Date.now()}` });
    const done = await suite.posts.next('chat/done', 'sec3');
    const real = costOf(
      { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens },
      MODELS['gpt-4o-mini'],
    ).usd!;
    assert.ok(real > 0.2, `the built-in price is not zero (${real})`);
    assert.ok(
      Math.abs((done.assistant.costUsd ?? NaN) - real) < 1e-9,
      `reply cost ${done.assistant.costUsd} = ${real}`,
    );
    const after = (await suite.api.usage.totals()).byModel.find((m) => m.model === PROBE_MODEL)?.totals.costUsd ?? 0;
    assert.ok(Math.abs(after - before - real) < 1e-9, `ledger recorded ${after - before}, the real price is ${real}`);
  });

  it('plain http to another machine is refused before the key leaves', async () => {
    // .invalid never resolves; if the refusal failed, the request would fail to connect rather than reach anyone.
    await configure({ baseUrl: 'http://tally-refused.invalid/v1' });
    try {
      await suite.api.receive({ type: 'chat/send', requestId: 'sec4', text: 'over http?' });
      const refused = await suite.posts.next('chat/error', 'sec4');
      assert.equal(refused.error.kind, 'endpointRefused');
      assert.match(refused.error.message, /does not send your API key over plain http/);
      assert.deepEqual(refused.error.actions, ['openSettings', 'showLog']);
      assert.equal(suite.posts.of('chat/started', 'sec4').length, 0, 'nothing was started');
    } finally {
      await configure({ baseUrl: suite.server.baseUrl });
    }
  });

  it('commands that write the key or files ignore arguments and ask', async () => {
    // The argument would have replaced the key; the command asks instead (an input box, dismissed here).
    let settled = false;
    const asking = Promise.resolve(vscode.commands.executeCommand('tally.setApiKey', 'sk-from-a-link-000000')).finally(
      () => {
        settled = true;
      },
    );
    for (let i = 0; i < 100 && !settled; i++) {
      await new Promise((r) => setTimeout(r, 200));
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    }
    await asking;
    suite.server.enqueue({ text: 'still yours' });
    await suite.api.receive({ type: 'chat/send', requestId: 'sec5', text: `whose key? ${Date.now()}` });
    await suite.posts.next('chat/done', 'sec5');
    assert.equal(suite.server.requests[0].headers.authorization, `Bearer ${KEY}`, 'the key is unchanged');
  });
});
