import type { AccountRepository } from '../db/repositories/account.repository';

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/**
 * A store for @fastify/rate-limit that counts in the database (fixed windows, one upsert per hit), so that a limit
 * holds across every app server instead of per process.
 */
export function databaseRateLimitStore(accounts: AccountRepository) {
  return class DatabaseStore {
    incr(key: string, callback: Callback, timeWindow: number): void {
      const now = new Date();
      accounts.hit(String(key), timeWindow, now).then(
        (r) => callback(null, { current: r.count, ttl: Math.max(0, r.resetAt.getTime() - now.getTime()) }),
        (error: Error) => callback(error),
      );
    }

    child(): DatabaseStore {
      return new DatabaseStore();
    }
  };
}
