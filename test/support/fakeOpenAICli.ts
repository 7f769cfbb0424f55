// Runs the fake OpenAI server on its own, e.g. for `npm start -- --fake` (a demo without an API key):
//   node --import tsx test/support/fakeOpenAICli.ts [--port N] [--chunk-delay-ms N]
// Prints `FAKE_OPENAI_BASE_URL=http://127.0.0.1:PORT/v1` on one line of stdout once listening, then serves
// (every reply echoes the last user message) until SIGINT or SIGTERM.
import { FakeOpenAIServer } from './fakeOpenAI';

function numberFlag(args: readonly string[], name: string): number | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = Number(args[i + 1]);
  if (!Number.isInteger(value) || value < 0) {
    process.stderr.write(`${name} needs a non-negative integer, got ${String(args[i + 1])}\n`);
    process.exit(2);
  }
  return value;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const port = numberFlag(args, '--port') ?? 0;
  const chunkDelayMs = numberFlag(args, '--chunk-delay-ms');

  const server = await FakeOpenAIServer.start({ port });
  if (chunkDelayMs !== undefined) server.setDefault({ chunkDelayMs });
  process.stdout.write(`FAKE_OPENAI_BASE_URL=${server.baseUrl}\n`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`fake OpenAI server failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
