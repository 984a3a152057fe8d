import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchPostgres } from '../test/helpers/database';
import { freePort } from '../test/helpers/net';

/**
 * Graceful shutdown of the real server process (src/server.ts, as `npm start` runs it, on a fresh database with the
 * sample data and the job queue on): on SIGTERM it refuses new connections, finishes the request in flight, closes
 * the database and exits 0 within 10 s. The database is embedded, or a fresh PostgreSQL one (and its pool) with
 * TRELLIS_TEST_DB=postgres.
 */
const STARTUP_MS = 150_000;
let child: ChildProcess;
let port: number;
let dataDir: string;
let dropDatabase: (() => Promise<void>) | undefined;
const logLines: { msg?: string; time?: number; req?: { url?: string } }[] = [];
let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;


const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) while waiting for ${what}`);
    if (Date.now() > deadline) throw new Error(`no ${what} within ${ms} ms`);
    await sleep(50);
  }
}

/** Whether a new TCP connection to the server is accepted, or refused. */
function tryConnect(): Promise<'accepted' | 'refused'> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNREFUSED' ? resolve('refused') : reject(error)));
  });
}

beforeAll(async () => {
  port = await freePort();
  dataDir = mkdtempSync(join(tmpdir(), 'trellis-shutdown-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', TRELLIS_DATA_DIR: dataDir, NODE_ENV: 'test', LOG_LEVEL: 'info', TRELLIS_LOAD_SAMPLE: 'true', TRELLIS_JOBS: 'on' };
  delete env.DATABASE_URL;
  if (process.env.TRELLIS_TEST_DB === 'postgres') {
    const scratch = await scratchPostgres('trellis_shutdown');
    env.DATABASE_URL = scratch.url;
    dropDatabase = scratch.drop;
  }
  child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  // 'close', not 'exit': it comes after the last of standard output has been read.
  exited = new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal, at: Date.now() })));
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    for (const line of parts) if (line.startsWith('{')) logLines.push(JSON.parse(line) as (typeof logLines)[number]);
  });
  await until(() => logLines.some((l) => l.msg?.startsWith('Trellis is running')), STARTUP_MS, 'start-up');
}, STARTUP_MS + 10_000);

afterAll(async () => {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
  await dropDatabase?.();
});


/** Status and body of a raw HTTP/1.1 response (Content-Length or chunked). */
function parseResponse(raw: string): { status: number; body: string } {
  const [head, ...rest] = raw.split('\r\n\r\n');
  let body = rest.join('\r\n\r\n');
  if (/^transfer-encoding: chunked$/im.test(head!)) {
    let decoded = '';
    for (;;) {
      const eol = body.indexOf('\r\n');
      const size = parseInt(body.slice(0, eol), 16);
      if (!size) break;
      decoded += body.slice(eol + 2, eol + 2 + size);
      body = body.slice(eol + 2 + size + 2);
    }
    body = decoded;
  }
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head!)?.[1]), body };
}

describe('SIGTERM', () => {
  it('refuses new connections, finishes the request in flight, and exits 0 within 10 s', async () => {
    // A request in flight: its headers are in, half its body is still to come (a slow client or a slow upload).
    const payload = JSON.stringify({ urn: '100049', inputs: ['PPPerc'], weights: [1] });
    const socket: Socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    let raw = '';
    socket.setEncoding('utf8').on('data', (d: string) => (raw += d));
    const closed = once(socket, 'close');
    socket.write(
      `POST /api/v1/families HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\nConnection: close\r\n\r\n${payload.slice(0, 10)}`,
    );
    await until(() => logLines.some((l) => l.msg === 'incoming request' && l.req?.url === '/api/v1/families'), 10_000, 'the request reaching the app');

    const signalled = Date.now();
    child.kill('SIGTERM');
    await until(() => logLines.some((l) => l.msg?.startsWith('SIGTERM: closing')), 5_000, 'the closing message');
    // New connections are refused while the old request is still open.
    await until(async () => (await tryConnect()) === 'refused', 3_000, 'refusal of new connections');
    expect(raw).toBe('');
    expect(child.exitCode).toBeNull();

    // The rest of the body, keeping our side open as a browser does (a client that half-closes has gone away: Node
    // drops its connection when the server is closing).
    socket.write(payload.slice(10));
    await closed;
    const response = parseResponse(raw);
    expect(response.status).toBe(200);
    const family = JSON.parse(response.body) as { urn: number; members: unknown[] };
    expect(family.urn).toBe(100049);
    expect(family.members.length).toBeGreaterThan(0);

    const exit = await exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.at - signalled).toBeLessThan(10_000);
    expect(logLines.map((l) => l.msg), JSON.stringify(logLines.slice(-4))).toContain('closed');
  }, 30_000);
});
