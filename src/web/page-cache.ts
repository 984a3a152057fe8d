import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/**
 * A micro-cache of public responses, like a reverse proxy's: a GET to a route marked `config: { pageCache: true }`
 * from a reader without a session is answered from memory when the same URL was rendered since the data last
 * changed. Pages are derived only from imported data, so the cache key is the URL and the *data version* (the id of
 * the last successful import, read from the database at most once a second). Several app servers each keep their
 * own cache and each notices a new import within a second: nothing assumes one process.
 */

/** The cookie that will carry a signed-in session: readers with one are never served from the cache. */
export const SESSION_COOKIE = 'trellis_session';

export interface PageCacheOptions {
  /** Upper bound of the bytes held (bodies); 0 turns the cache off. */
  maxBytes: number;
  /** Reads the current data version (cheap query). */
  readVersion: () => Promise<number>;
  /** How long a read version is trusted before it is read again. */
  versionTtlMs?: number;
}

interface Entry {
  version: number;
  /** UTF-8 bytes: counted exactly against the budget, held outside the JavaScript heap, sent as they are. */
  body: Buffer;
  contentType: string;
}

export class PageCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private version = -1;
  private versionReadAt = 0;
  private reading: Promise<number> | null = null;
  hits = 0;
  misses = 0;

  constructor(private readonly options: PageCacheOptions) {}

  get enabled(): boolean {
    return this.options.maxBytes > 0;
  }

  /** The data version, read again when older than the TTL (one read in flight at a time). */
  async currentVersion(now = Date.now()): Promise<number> {
    if (now - this.versionReadAt < (this.options.versionTtlMs ?? 1000)) return this.version;
    if (!this.reading) {
      this.reading = this.options
        .readVersion()
        .then((v) => {
          this.version = v;
          this.versionReadAt = Date.now();
          return v;
        })
        .finally(() => {
          this.reading = null;
        });
    }
    return this.reading;
  }

  /** Forgets the known version, so the next request reads it again (after an import in this process). */
  expireVersion(): void {
    this.versionReadAt = 0;
  }

  get(key: string, version: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.version !== version) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, rendered: Omit<Entry, 'body'> & { body: string }): void {
    // A string's length is not its memory (characters beyond Latin-1, such as ’ and –, take two bytes each in V8):
    // the budget counts the UTF-8 bytes kept.
    const entry: Entry = { ...rendered, body: Buffer.from(rendered.body, 'utf8') };
    const size = entry.body.byteLength;
    if (size > this.options.maxBytes / 4) return;
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.body.byteLength;
      this.entries.delete(key);
    }
    this.entries.set(key, entry);
    this.bytes += size;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.options.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= e.body.byteLength;
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** Bytes of bodies held. */
  get heldBytes(): number {
    return this.bytes;
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Serve this GET route from the page cache to readers without a session. */
    pageCache?: boolean;
  }
  interface FastifyInstance {
    pageCache: PageCache;
  }
  interface FastifyRequest {
    pageCacheVersion?: number;
  }
}

function cacheable(request: FastifyRequest): boolean {
  return (
    request.method === 'GET' &&
    request.routeOptions.config?.pageCache === true &&
    !(request.headers.cookie ?? '').includes(`${SESSION_COOKIE}=`)
  );
}

const keyOf = (request: FastifyRequest) => `${request.headers.accept?.includes('application/json') ? 'json' : 'any'} ${request.url}`;

export const pageCache = fp(
  async (app: FastifyInstance, options: PageCacheOptions) => {
    const cache = new PageCache(options);
    app.decorate('pageCache', cache);
    if (!cache.enabled) return;

    app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
      if (!cacheable(request)) return;
      const version = await cache.currentVersion();
      request.pageCacheVersion = version;
      const entry = cache.get(keyOf(request), version);
      if (entry) {
        cache.hits += 1;
        return reply.header('x-trellis-cache', 'hit').type(entry.contentType).send(entry.body);
      }
      cache.misses += 1;
      reply.header('x-trellis-cache', 'miss');
    });

    app.addHook('onSend', async (request, reply, payload) => {
      if (request.pageCacheVersion === undefined || reply.statusCode !== 200 || typeof payload !== 'string') return payload;
      if (reply.getHeader('x-trellis-cache') !== 'miss') return payload;
      const contentType = String(reply.getHeader('content-type') ?? 'text/html; charset=utf-8');
      cache.set(keyOf(request), { version: request.pageCacheVersion, body: payload, contentType });
      return payload;
    });
  },
  { name: 'page-cache' },
);
