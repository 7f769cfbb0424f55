// A scriptable OpenAI-compatible HTTP server for tests (unit tests, the extension-host integration tests and the
// Playwright driver). Only Node built-ins and gpt-tokenizer are used, so esbuild can bundle it; it listens on
// 127.0.0.1 only. Each POST /v1/chat/completions takes the next ScriptedReply from a FIFO queue (or the default,
// which echoes the last user message) and answers as OpenAI would: an SSE stream of `chat.completion.chunk`s when
// the body has `stream: true`, else one `chat.completion`. Scripts can also inject errors, delays and broken
// connections, and every request is recorded, including whether the client hung up before the response ended.
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { contentText, countChatPromptTokens, countTextTokens, parseChatMessages } from './chatTokens';

export interface ScriptedReply {
  status?: number; // default 200. Non-2xx: an OpenAI-shaped error body {error:{message,type,param,code}}
  error?: { message?: string; type?: string; code?: string | null; param?: string | null }; // overrides the status's default error
  headers?: Record<string, string>; // extra response headers, e.g. retry-after, retry-after-ms, x-ratelimit-*
  text?: string; // the assistant reply; default `Echo: ${last user message content}`
  chunks?: string[]; // explicit content pieces for streaming (overrides splitting `text`); joined = the reply
  chunkSize?: number; // characters per chunk when splitting `text` (default 8)
  firstByteDelayMs?: number; // wait before sending the response headers (or before resetBeforeResponse)
  chunkDelayMs?: number; // wait between SSE content chunks
  // 'auto' (default): prompt_tokens from the request, completion_tokens of the reply text; an object overrides single
  // fields (cached_tokens defaults to 0); 'none': no usage in the completion nor a usage chunk.
  usage?: 'auto' | 'none' | { prompt_tokens?: number; completion_tokens?: number; cached_tokens?: number };
  finishReason?: string; // default 'stop'
  resetBeforeResponse?: boolean; // reset the connection (RST) before any byte is sent
  dropAfterChunks?: number; // stream: destroy the socket after N content chunks (no final chunk, no [DONE])
  stallAfterChunks?: number; // stream: after N content chunks send nothing more until the client hangs up
  malformedAfterChunks?: number; // stream: after N content chunks send `data: {not json` and end the response
  // stream: tool calls after the text, each as OpenAI streams them: a first fragment with index, id and name, then its
  // arguments in pieces of `chunkSize`; calls interleave when `interleaveToolCalls` is set. finish_reason defaults to
  // 'tool_calls'. An id of '' is left out (some compatible servers send none).
  toolCalls?: { id?: string; name: string; arguments: string }[];
  interleaveToolCalls?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown; // the parsed JSON body, or undefined (none, or not JSON)
  receivedAt: number; // Date.now() on arrival
  finished: boolean; // the server sent its whole response
  clientClosedEarly: boolean; // the client closed the connection before the server finished its response
  serverAborted: boolean; // the server broke the connection on purpose (reset, drop, or close())
  promptTokens?: number; // chat completions: prompt tokens computed from the request (whatever `usage` says)
  reply?: ScriptedReply; // chat completions: the script that served it
}

const HOST = '127.0.0.1';
const CHAT_PATH = '/v1/chat/completions';
const FINGERPRINT = 'fp_fake0001';
/** Models listed by GET /v1/models, with the `created` stamps OpenAI reports for them. */
const MODELS: ReadonlyArray<[id: string, created: number, ownedBy: string]> = [
  ['gpt-4o', 1715367049, 'system'],
  ['gpt-4o-mini', 1721172741, 'system'],
  ['gpt-3.5-turbo', 1677610602, 'openai'],
  ['gpt-4', 1687882411, 'openai'],
];

type ErrorBody = { message: string; type: string; param: string | null; code: string | null };

/** The error OpenAI sends for a status, used unless the script's `error` overrides a field. */
function defaultError(status: number): ErrorBody {
  const e = (message: string, type: string, code: string | null = null): ErrorBody => ({
    message,
    type,
    param: null,
    code,
  });
  switch (status) {
    case 400:
      return e('Invalid request.', 'invalid_request_error');
    case 401:
      return e('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
    case 404:
      return e('The model does not exist or you do not have access to it.', 'invalid_request_error', 'model_not_found');
    case 429:
      return e('Rate limit reached for requests. Please try again later.', 'requests', 'rate_limit_exceeded');
    default:
      return status >= 500
        ? e('The server had an error while processing your request. Sorry about that!', 'server_error')
        : e(`Request failed with status ${status}.`, 'invalid_request_error');
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Splits text into pieces of `size` characters (code points, so no surrogate pair is cut). */
function splitText(text: string, size: number): string[] {
  const chars = Array.from(text);
  const step = Math.max(1, Math.floor(size));
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += step) out.push(chars.slice(i, i + step).join(''));
  return out;
}

/** Resolves when `start` calls its `done`, or as soon as the response is closed, whichever comes first. */
function untilDoneOrClosed(res: http.ServerResponse, start: (done: () => void) => void = () => {}): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve();
    const done = (): void => {
      res.off('close', done);
      resolve();
    };
    res.once('close', done);
    start(done);
  });
}

/** The streamed fragments of a script's tool calls, in the order OpenAI would send them. */
function toolCallFragments(script: ScriptedReply): Record<string, unknown>[] {
  const size = script.chunkSize ?? 8;
  const perCall = (script.toolCalls ?? []).map((c, index) => {
    const pieces: Record<string, unknown>[] = [
      {
        index,
        ...(c.id === '' ? {} : { id: c.id ?? `call_fake${index}` }),
        type: 'function',
        function: { name: c.name, arguments: '' },
      },
    ];
    for (let i = 0; i < c.arguments.length; i += size)
      pieces.push({ index, function: { arguments: c.arguments.slice(i, i + size) } });
    return pieces;
  });
  if (!script.interleaveToolCalls) return perCall.flat();
  const out: Record<string, unknown>[] = [];
  for (let i = 0; perCall.some((p) => i < p.length); i++) for (const p of perCall) if (i < p.length) out.push(p[i]);
  return out;
}

/** Waits `ms`, or less if the response closes meanwhile. */
function sleep(ms: number | undefined, res: http.ServerResponse): Promise<void> {
  if (!ms || ms <= 0) return Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  return untilDoneOrClosed(res, (done) => {
    timer = setTimeout(done, ms);
  }).finally(() => clearTimeout(timer));
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new Error('request body aborted'));
    });
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export class FakeOpenAIServer {
  readonly baseUrl: string;
  readonly requests: RecordedRequest[] = [];
  private queue: ScriptedReply[] = [];
  private defaultReply: ScriptedReply = {};
  private readonly sockets = new Set<Socket>();
  private readonly listeners = new Set<() => void>(); // re-check pending waitFor* calls
  private counter = 0;
  private closing = false;

  private constructor(
    private readonly server: http.Server,
    readonly port: number,
  ) {
    this.baseUrl = `http://${HOST}:${port}/v1`;
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      this.handle(req, res).catch((err: unknown) => {
        // A bug in a script or here: answer 500 if still possible, so the test fails loudly rather than hangs.
        if (!res.headersSent) sendJson(res, 500, { error: { ...defaultError(500), message: String(err) } });
        else res.destroy();
      });
    });
  }

  /** Starts listening on 127.0.0.1 (port 0 = a free port). */
  static async start(options: { port?: number } = {}): Promise<FakeOpenAIServer> {
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, HOST, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new FakeOpenAIServer(server, (server.address() as AddressInfo).port);
  }

  /** Models GET /v1/models lists after the built-in ones (a local server's, e.g. `llama3.1:8b`). */
  extraModels: string[] = [];

  /** Queues replies, consumed one per valid POST /v1/chat/completions, first in first out. */
  enqueue(...replies: ScriptedReply[]): void {
    this.queue.push(...replies);
  }

  /** The reply used when the queue is empty (initially `{}`: echo). */
  setDefault(reply: ScriptedReply): void {
    this.defaultReply = reply;
  }

  /** Clears the queue, the default and the recorded requests (the array is emptied in place). */
  reset(): void {
    this.queue = [];
    this.defaultReply = {};
    this.requests.length = 0;
  }

  /** Resolves with the chat-completion requests once at least `n` have arrived. */
  waitForRequests(n: number, timeoutMs = 10_000): Promise<RecordedRequest[]> {
    const chats = (): RecordedRequest[] => this.requests.filter((r) => r.path === CHAT_PATH);
    return this.waitFor(
      () => (chats().length >= n ? chats() : undefined),
      timeoutMs,
      () => `${n} chat requests (have ${chats().length})`,
    );
  }

  /** Resolves when `requests[index]` has finished, or its connection was closed by either side. */
  waitForSettled(index: number, timeoutMs = 10_000): Promise<RecordedRequest> {
    return this.waitFor(
      () => {
        const r = this.requests[index];
        return r && (r.finished || r.clientClosedEarly || r.serverAborted) ? r : undefined;
      },
      timeoutMs,
      () => `request #${index} to settle (have ${this.requests.length} requests)`,
    );
  }

  /** Stops listening and destroys every open connection (stalled streams included). */
  async close(): Promise<void> {
    this.closing = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  private waitFor<T>(check: () => T | undefined, timeoutMs: number, what: () => string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const listener = (): void => {
        const value = check();
        if (value !== undefined) {
          cleanup();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`FakeOpenAIServer: timed out after ${timeoutMs} ms waiting for ${what()}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      this.listeners.add(listener);
      listener();
    });
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const n = ++this.counter;
    res.setHeader('x-request-id', `req_${n}`);
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', `http://${HOST}`).pathname.replace(/(.)\/+$/, '$1');
    let raw: string;
    try {
      raw = await readBody(req);
    } catch {
      return;
    } // the client went away mid-body

    const isChat = method === 'POST' && path === CHAT_PATH;
    if (!isChat && !(method === 'GET' && path === '/v1/models')) {
      sendJson(res, 404, {
        error: { ...defaultError(404), message: `Unknown request URL: ${method} ${path}.`, code: 'unknown_url' },
      });
      return;
    }
    let body: unknown;
    let badJson = false;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        badJson = true;
      }
    }
    const record: RecordedRequest = {
      method,
      path,
      headers: { ...req.headers },
      body,
      receivedAt,
      finished: false,
      clientClosedEarly: false,
      serverAborted: false,
    };
    res.on('finish', () => {
      record.finished = true;
      this.notify();
    });
    res.on('close', () => {
      // 'close' also follows a normal 'finish'; only a close before it is an early one.
      if (!record.finished && !record.serverAborted) {
        if (this.closing) record.serverAborted = true;
        else record.clientClosedEarly = true;
      }
      this.notify();
    });
    this.requests.push(record);

    if (!isChat) {
      sendJson(res, 200, {
        object: 'list',
        data: [
          ...MODELS.map(([id, created, owned_by]) => ({ id, object: 'model', created, owned_by })),
          ...this.extraModels.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'local' })),
        ],
      });
    } else if (badJson || !isRecord(body)) {
      sendJson(res, 400, {
        error: {
          ...defaultError(400),
          message: 'We could not parse the JSON body of your request. The OpenAI API expects a JSON payload.',
        },
      });
    } else if (typeof body.model !== 'string' || !Array.isArray(body.messages)) {
      const param = typeof body.model !== 'string' ? 'model' : 'messages';
      sendJson(res, 400, {
        error: {
          ...defaultError(400),
          message: `Missing required parameter: '${param}'.`,
          param,
          code: 'missing_required_parameter',
        },
      });
    } else {
      await this.chat(record, res, body, body.model, n);
    }
    this.notify();
  }

  private async chat(
    record: RecordedRequest,
    res: http.ServerResponse,
    body: Record<string, unknown>,
    model: string,
    n: number,
  ): Promise<void> {
    const script = this.queue.shift() ?? this.defaultReply;
    const messages = parseChatMessages(body.messages);
    const promptTokens = countChatPromptTokens(messages, model);
    record.promptTokens = promptTokens;
    record.reply = script;
    this.notify();

    await sleep(script.firstByteDelayMs, res);
    if (res.destroyed) return;
    if (script.resetBeforeResponse) {
      record.serverAborted = true;
      const socket = res.socket;
      if (socket) socket.resetAndDestroy();
      else res.destroy(); // RST, so the client sees ECONNRESET
      return;
    }
    const status = script.status ?? 200;
    if (status < 200 || status > 299) {
      sendJson(res, status, { error: { ...defaultError(status), ...script.error } }, script.headers);
      return;
    }

    const lastUser = [...messages].reverse().find((m) => m.role === 'user');
    const text = script.chunks ? script.chunks.join('') : (script.text ?? `Echo: ${contentText(lastUser?.content)}`);
    const u = script.usage ?? 'auto';
    const over = typeof u === 'object' ? u : {};
    const prompt = over.prompt_tokens ?? promptTokens;
    const completion = over.completion_tokens ?? countTextTokens(text, model);
    const usage =
      u === 'none'
        ? undefined
        : {
            prompt_tokens: prompt,
            completion_tokens: completion,
            total_tokens: prompt + completion,
            prompt_tokens_details: { cached_tokens: over.cached_tokens ?? 0, audio_tokens: 0 },
            completion_tokens_details: {
              reasoning_tokens: 0,
              audio_tokens: 0,
              accepted_prediction_tokens: 0,
              rejected_prediction_tokens: 0,
            },
          };
    const created = Math.floor(Date.now() / 1000);
    // Key order as OpenAI sends it.
    const head = (object: string): Record<string, unknown> => ({
      id: `chatcmpl-fake${n}`,
      object,
      created,
      model,
      system_fingerprint: FINGERPRINT,
    });
    const finishReason = script.finishReason ?? 'stop';

    if (body.stream !== true) {
      sendJson(
        res,
        200,
        {
          ...head('chat.completion'),
          service_tier: 'default',
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: text, refusal: null, annotations: [] },
              logprobs: null,
              finish_reason: finishReason,
            },
          ],
          ...(usage ? { usage } : {}),
        },
        script.headers,
      );
      return;
    }

    const options = isRecord(body.stream_options) ? body.stream_options : {};
    const includeUsage = options.include_usage === true;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      ...script.headers,
    });
    // Like OpenAI: with include_usage every chunk carries `usage: null` except the last, which has empty choices.
    // Resolves once the chunk is handed to the OS (or the connection is gone), so a later destroy() loses nothing.
    const send = (choices: unknown[], chunkUsage: unknown = null): Promise<void> =>
      untilDoneOrClosed(res, (done) => {
        const chunk = { ...head('chat.completion.chunk'), choices, ...(includeUsage ? { usage: chunkUsage } : {}) };
        res.write(`data: ${JSON.stringify(chunk)}\n\n`, () => done());
      });
    const choice = (delta: Record<string, unknown>, finish: string | null): unknown[] => [
      { index: 0, delta, logprobs: null, finish_reason: finish },
    ];

    await send(choice({ role: 'assistant', content: '', refusal: null }, null));
    const pieces = script.chunks ?? splitText(text, script.chunkSize ?? 8);
    // i = number of content chunks sent so far; a fault set to i (0..pieces.length) fires before chunk i.
    for (let i = 0; ; i++) {
      if (script.dropAfterChunks === i) {
        record.serverAborted = true;
        res.destroy();
        return;
      }
      if (script.stallAfterChunks === i) {
        await untilDoneOrClosed(res); // never done: only the client (or close()) ends it
        return;
      }
      if (script.malformedAfterChunks === i) {
        res.end('data: {not json\n\n');
        return;
      }
      if (i >= pieces.length) break;
      if (i > 0) {
        await sleep(script.chunkDelayMs, res);
        if (res.destroyed) return;
      }
      await send(choice({ content: pieces[i] }, null));
      if (res.destroyed) return;
    }
    for (const fragment of toolCallFragments(script)) {
      await send(choice({ tool_calls: [fragment] }, null));
      if (res.destroyed) return;
    }
    await send(choice({}, script.toolCalls?.length && !script.finishReason ? 'tool_calls' : finishReason));
    if (includeUsage && usage) await send([], usage);
    if (res.destroyed) return;
    res.end('data: [DONE]\n\n');
  }
}
