import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken, newToken } from '../../src/modules/accounts/tokens';
import { createTestApp, type TestApp } from '../helpers/app';
import { TestClient } from '../helpers/client';

/**
 * Property-based fuzzing of the form and API parsers (issue 10): every POST route gets generated bodies (known field
 * names and random ones; text of any kind and length, arrays, empty values) from a signed-in facilitator who
 * belongs to a school, with real ids in the path; every GET route gets generated query strings; the JSON API gets
 * generated JSON. Never a 500; a form refused for its content re-renders with the GOV.UK error summary; an API
 * refusal is JSON with a message.
 */
let t: TestApp;
const routes: string[] = [];
let client: TestClient;
const ids: Record<string, string> = {};
const RUNS = Number(process.env.TRELLIS_FUZZ_RUNS_PER_ROUTE ?? 25);

beforeAll(async () => {
  t = await createTestApp((r) => {
    for (const method of [r.method].flat()) if (method !== 'HEAD') routes.push(`${method} ${r.url}`);
  });
  const repo = t.app.services.accounts.accounts;
  const user = await repo.createUser({ email: 'fuzz@example.org', displayName: 'Fuzz', passwordHash: null, emailVerified: true });
  await repo.setPlatformRoles(user.id, { isFacilitator: true });
  const [school] = await t.database.rows<{ id: string }>(sql`select id from organisations where urn is not null order by name limit 1`);
  await repo.addMembership(user.id, school!.id, 'admin');
  const sid = newToken();
  await repo.createSession({ idHash: hashToken(sid), userId: user.id, expiresAt: new Date(Date.now() + 3_600_000), activeOrganisationId: school!.id, userAgent: null });
  client = new TestClient(t.app, '10.9.8.7');
  client.setCookie('trellis_session', sid);
  // Real ids for the path parameters, from the demonstration content.
  const one = async (q: ReturnType<typeof sql>) => (await t.database.rows<{ id: string }>(q))[0]?.id ?? '00000000-0000-4000-8000-000000000000';
  ids.need = await one(sql`select id::text from needs limit 1`);
  ids.offer = await one(sql`select id::text from offers limit 1`);
  ids.introduction = await one(sql`select id::text from introductions limit 1`);
  ids.support = await one(sql`select id::text from supports limit 1`);
  ids.partnership = await one(sql`select id::text from partnerships limit 1`);
  ids.network = await one(sql`select id::text from networks limit 1`);
  ids.study = await one(sql`select id::text from case_studies limit 1`);
  ids.organisation = school!.id;
}, 120_000);
afterAll(async () => t.close());

function concrete(route: string): string {
  const path = route.slice(route.indexOf(' ') + 1);
  return path
    .replace(/^\/support\/needs\/:id/, `/support/needs/${ids.need}`)
    .replace(/^\/support\/offers\/:id/, `/support/offers/${ids.offer}`)
    .replace(/^\/support\/introductions\/:id/, `/support/introductions/${ids.introduction}`)
    .replace(/^\/support\/supports\/:id/, `/support/supports/${ids.support}`)
    .replace(/^\/partnerships\/:id/, `/partnerships/${ids.partnership}`)
    .replace(/^\/networks\/:id/, `/networks/${ids.network}`)
    .replace(/^\/practice\/:id/, `/practice/${ids.study}`)
    .replace(/^\/organisations\/:id/, `/organisations/${ids.organisation}`)
    .replace(':urn', '100049')
    .replace(':code', 'E09000007')
    .replace(':uid', '4335')
    .replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');
}

const FIELDS = [
  'title', 'description', 'theme', 'themes', 'kinds', 'kind', 'phases', 'capacity', 'mode', 'radiusKm', 'cost', 'visibility', 'name', 'purpose', 'type',
  'startedOn', 'happenedOn', 'participants', 'pupilsReached', 'staffHours', 'notes', 'email', 'password', 'displayName', 'urn', 'postcode', 'measure',
  'measures', 'urgency', 'timeframe', 'message', 'reason', 'objective', 'startsOn', 'endsOn', 'progress', 'reflection', 'summary', 'challenge',
  'approach', 'impact', 'q', 'heldOn', 'agenda', 'dueOn', 'url', 'text', 'organisationName', 'role', 'stage', 'decidedOn', 'organisationKind',
  'baselineYear', 'needId', 'offerId', 'onBehalfOfEmail', 'contact', 'comment', 'passwordConfirm', 'token', 'restricted', 'model',
];
const value = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
  fc.constantFrom('', ' ', '0', '-1', '1e309', '2027-02-31', '2027-01-15', 'attendance', 'school', 'public', 'in-person', '<script>alert(1)</script>', 'x'.repeat(20_000), '100049', 'E09000007'),
  fc.integer().map(String),
);
const body = fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 8 })), fc.oneof(value, fc.array(value, { maxLength: 4 })), { maxKeys: 8 });

describe('fuzzing forms and the API', () => {
  it('no generated form body makes a 500; a refusal re-renders with the error summary', async () => {
    const posts = routes.filter((r) => r.startsWith('POST ') && !r.startsWith('POST /api/') && !r.includes('/documents') && r !== 'POST /sign-out');
    expect(posts.length).toBeGreaterThan(40);
    await client.get('/sign-in');
    const csrf = client.csrfFor('/sign-in');
    let refused = 0;
    for (const route of posts) {
      const url = concrete(route);
      await fc.assert(
        fc.asyncProperty(body, async (fields) => {
          const response = await client.post(url, fields as Record<string, string | string[]>, { csrf });
          expect(response.status, `${route} ${JSON.stringify(fields).slice(0, 300)}\n${response.body.slice(0, 500)}`).toBeLessThan(500);
          if (response.status === 400 && (response.headers['content-type'] ?? '').toString().includes('text/html')) {
            refused++;
            expect(response.html.querySelector('.govuk-error-summary, .govuk-error-message') ?? response.html.querySelector('h1'), route).not.toBeNull();
          }
        }),
        { numRuns: RUNS, seed: 1129 },
      );
    }
    expect(refused).toBeGreaterThan(0);
  }, 600_000);

  it('no generated query string makes a 500 on any page or API read', async () => {
    const gets = routes.filter((r) => r.startsWith('GET ') && !r.includes('*') && r !== 'GET /sign-out');
    const query = fc.dictionary(fc.oneof(fc.constantFrom('q', 'la', 'phase', 'page', 'level', 'show', 'model', 'theme', 'type', 'stage', 'size', 'w_PPPerc', 'order', 'status', 'format', 'year', 'kind'), fc.string({ maxLength: 6 })), fc.oneof(value, fc.array(value, { maxLength: 3 })), { maxKeys: 5 });
    for (const route of gets) {
      const path = concrete(route);
      await fc.assert(
        fc.asyncProperty(query, async (params) => {
          const search = new URLSearchParams();
          for (const [k, v] of Object.entries(params)) for (const x of [v].flat()) search.append(k, x as string);
          const response = await client.get(`${path}?${search.toString()}`);
          expect(response.status, `${route} ?${search.toString().slice(0, 300)}\n${response.body.slice(0, 300)}`).toBeLessThan(500);
        }),
        { numRuns: Math.max(5, Math.floor(RUNS / 3)), seed: 1130 },
      );
    }
  }, 600_000);

  it('no generated JSON body makes a 500 on the JSON API; a refusal is JSON with a message', async () => {
    const posts = routes.filter((r) => r.startsWith('POST /api/'));
    expect(posts.length).toBeGreaterThan(0);
    for (const route of posts) {
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.jsonValue(), fc.record({ urn: fc.oneof(value, fc.integer()), inputs: fc.array(value), weights: fc.array(fc.oneof(fc.double(), fc.integer(), value)) }, { requiredKeys: [] })), async (json) => {
          const response = await t.app.inject({ method: 'POST', url: concrete(route), payload: JSON.stringify(json), headers: { 'content-type': 'application/json' } });
          expect(response.statusCode, `${route} ${JSON.stringify(json).slice(0, 300)}\n${response.body.slice(0, 300)}`).toBeLessThan(500);
          if (response.statusCode >= 400) expect(typeof response.json().message).toBe('string');
        }),
        { numRuns: RUNS * 8, seed: 1131 },
      );
    }
  }, 300_000);
});
