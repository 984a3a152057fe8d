import { hash } from '@node-rs/argon2';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerageRepository } from '../src/db/repositories/brokerage.repository';
import { CaseStudyRepository } from '../src/db/repositories/case-study.repository';
import { NetworkRepository } from '../src/db/repositories/network.repository';
import { PartnershipRepository } from '../src/db/repositories/partnership.repository';
import { hashToken, newToken } from '../src/modules/accounts/tokens';
import { createTestApp, type TestApp } from './helpers/app';
import { TestClient } from './helpers/client';

/**
 * Every route × every actor, with the outcome written out by hand (never derived from the policy under test).
 * A route added without a row here fails the first test. Outcomes: an HTTP status, or `signin` (a redirect to the
 * sign-in page). State-changing routes get a fresh world per cell, so one cell cannot change another's outcome.
 */
type Role = 'anonymous' | 'member' | 'admin' | 'otherAdmin' | 'facilitator' | 'platformAdmin';
type Outcome = number | 'signin';
type Row = Record<Role, Outcome>;

const ROLES: Role[] = ['anonymous', 'member', 'admin', 'otherAdmin', 'facilitator', 'platformAdmin'];
const all = (o: Outcome): Row => ({ anonymous: o, member: o, admin: o, otherAdmin: o, facilitator: o, platformAdmin: o });
const signedIn = (o: Outcome): Row => ({ anonymous: 'signin', member: o, admin: o, otherAdmin: o, facilitator: o, platformAdmin: o });
const row = (anonymous: Outcome, member: Outcome, admin: Outcome, otherAdmin: Outcome, facilitator: Outcome, platformAdmin: Outcome): Row => ({
  anonymous,
  member,
  admin,
  otherAdmin,
  facilitator,
  platformAdmin,
});

/** "METHOD /route/:pattern" → expected outcome per role. member/admin = of organisation A; otherAdmin = admin of B. */
const MATRIX: Record<string, Row> = {
  'GET /': all(200),
  'GET /health': all(200),
  'GET /ready': all(200),
  // Metrics are off unless TRELLIS_METRICS_TOKEN is set (it is not here): not found, whoever asks. When on, a session
  // gives no access either: only the bearer token does (src/modules/ops/ops.page.test.ts).
  'GET /metrics': all(404),
  'GET /assets/*': all(200),
  'GET /assets/govuk/*': all(200),
  'GET /assets/leaflet/*': all(200),
  'GET /assets/govuk-frontend/*': all(200),
  'GET /assets/trellis.css': all(200),
  'GET /schools.csv': all(200),
  'GET /schools/:urn': all(200),
  'GET /schools/:urn/family': all(200),
  'GET /schools/:urn/family.csv': all(200),
  'GET /schools/:urn/data-pack': all(200),
  'GET /schools/:urn/data-pack.csv': all(200),
  'GET /api/v1/schools/:urn/family': all(200),
  'GET /api/v1/schools/:urn/data-pack': all(200),
  'GET /api/v1/models/:model/inputs': all(200),
  'POST /api/v1/families': all(200),
  'GET /trusts/:id': all(200),
  // Local-authority pages are area pages now: a permanent redirect for everyone.
  'GET /local-authorities': all(301),
  'GET /local-authorities/:code': all(301),
  // The area view is public: aggregate counts only, never the private details of a network, support or partnership.
  'GET /areas': all(200),
  'GET /areas.csv': all(200),
  'GET /areas/:code': all(200),
  'GET /areas/:code/schools.csv': all(200),
  'GET /areas/trusts/:uid': all(200),
  'GET /api/v1/areas': all(200),
  'GET /api/v1/areas/:code': all(200),
  'GET /api/v1/schools': all(200),
  'GET /api/v1/schools.csv': all(200),
  'GET /api/v1/schools/:urn': all(200),
  'GET /api/v1/trusts/:id': all(200),
  'GET /api/v1/local-authorities': all(200),
  'GET /api/v1/local-authorities/:code': all(200),
  'GET /api/v1/measures': all(200),
  'GET /api/openapi.json': all(200),
  'GET /api/docs': all(200),
  'GET /sign-up': all(200),
  'POST /sign-up': all(200),
  'GET /sign-in': all(200),
  'POST /sign-in': all(303),
  'POST /sign-out': all(303),
  'GET /signed-out': all(200),
  'GET /verify-email': all(410),
  'GET /forgot-password': all(200),
  'POST /forgot-password': all(200),
  'GET /reset-password': all(410),
  'POST /reset-password': all(410),
  'GET /auth/oidc': all(404),
  'GET /auth/oidc/callback': all(404),
  'GET /dev/outbox': all(200),
  'GET /account': signedIn(200),
  'POST /account/password': signedIn(200),
  'GET /account/export': signedIn(200),
  'GET /account/delete': signedIn(200),
  'POST /account/delete': signedIn(200),
  'GET /organisations': signedIn(200),
  'GET /organisations/new': signedIn(200),
  'POST /organisations': signedIn(303),
  'POST /organisations/switch': row('signin', 303, 303, 403, 403, 403),
  'GET /organisations/:id': row('signin', 200, 200, 403, 200, 200),
  'POST /organisations/:id/invitations': row('signin', 403, 200, 403, 403, 200),
  'POST /organisations/:id/invitations/:invitationId/revoke': row('signin', 403, 303, 403, 403, 303),
  'POST /organisations/:id/members/:userId/role': row('signin', 403, 303, 403, 403, 303),
  'POST /organisations/:id/members/:userId/remove': row('signin', 403, 303, 403, 403, 303),
  'GET /invitations/:token': all(200),
  // The invitation is for someone else's email: nobody in this matrix may accept it.
  'POST /invitations/:token': row('signin', 403, 403, 403, 403, 403),
  'GET /admin/audit': row('signin', 403, 403, 403, 403, 200),
  // Practice library. The draft and the submitted study are by `member` for organisation A; the published one is public.
  'GET /practice': all(200),
  'GET /practice/new': signedIn(200),
  'POST /practice': row('signin', 303, 303, 403, 403, 403),
  'GET /practice/mine': signedIn(200),
  'GET /practice/requests': signedIn(200),
  'GET /practice/reading-list': signedIn(200),
  // The request is to `member` (the author) about the published study.
  'POST /practice/requests/:requestId/reply': row('signin', 303, 404, 404, 404, 404),
  'GET /practice/feed.atom': all(200),
  'GET /practice/export.json': all(200),
  'GET /practice/export.csv': all(200),
  'GET /practice/:id': row(404, 200, 200, 404, 200, 200),
  'GET /practice/:id/edit': row(404, 200, 200, 404, 403, 403),
  'POST /practice/:id': row('signin', 303, 303, 404, 403, 403),
  'POST /practice/:id/submit': row('signin', 303, 303, 404, 403, 403),
  'POST /practice/:id/publish': row('signin', 403, 403, 404, 303, 403),
  'POST /practice/:id/return': row('signin', 403, 403, 404, 303, 403),
  'POST /practice/:id/withdraw': row('signin', 303, 303, 403, 403, 403),
  // Adding `target` (a member of organisation A) as co-author of the draft.
  'POST /practice/:id/co-authors': row('signin', 303, 303, 404, 403, 403),
  'POST /practice/:id/save': row('signin', 303, 303, 303, 303, 303),
  'POST /practice/:id/learn-more': row('signin', 403, 200, 200, 200, 200),
  'GET /practice/:id/changes': all(200),
  'GET /api/v1/case-studies': all(200),
  // Brokerage. The need is organisation A's, seen by facilitators only; the offers are B's (public). The introduction
  // was asked for by A (so B answers); the support is between A and B; the closed support has a reflection.
  'GET /support': all(200),
  'GET /support/mine': signedIn(200),
  'GET /support/needs/new': signedIn(200),
  'POST /support/needs': row('signin', 303, 303, 403, 403, 403),
  'GET /support/needs.csv': all(200),
  'GET /support/needs/:id': row(404, 200, 200, 404, 200, 404),
  'POST /support/needs/:id/close': row('signin', 303, 303, 404, 403, 404),
  'GET /support/needs/:id/edit': row('signin', 200, 200, 404, 403, 404),
  'POST /support/needs/:id': row('signin', 303, 303, 404, 403, 404),
  'GET /support/offers/new': signedIn(200),
  'POST /support/offers': row('signin', 303, 303, 403, 403, 403),
  'GET /support/offers.csv': all(200),
  'GET /support/offers/:id': all(200),
  'POST /support/offers/:id/close': row('signin', 403, 403, 303, 403, 403),
  'GET /support/offers/:id/edit': row('signin', 403, 403, 200, 403, 403),
  'POST /support/offers/:id': row('signin', 403, 403, 303, 403, 403),
  'POST /support/introductions': row('signin', 303, 303, 404, 303, 404),
  'GET /support/introductions/:id': row(404, 200, 200, 200, 200, 404),
  'POST /support/introductions/:id/accept': row('signin', 403, 403, 303, 403, 404),
  'POST /support/introductions/:id/decline': row('signin', 403, 403, 303, 403, 404),
  'GET /support/agreements.csv': all(200),
  'GET /support/agreements/:id': row(404, 200, 200, 200, 200, 404),
  'POST /support/agreements/:id/reviews': row('signin', 303, 303, 303, 303, 404),
  'POST /support/agreements/:id/close': row('signin', 303, 303, 303, 403, 404),
  'POST /support/agreements/:id/case-study': row('signin', 303, 303, 303, 403, 404),
  'GET /support/facilitator': row('signin', 403, 403, 403, 200, 403),
  'GET /inbox': signedIn(200),
  'POST /inbox/read': signedIn(303),
  'GET /api/v1/needs': all(200),
  'GET /api/v1/offers': all(200),
  'GET /api/v1/needs/:id/matches': row(404, 200, 200, 404, 200, 404),
  'GET /api/v1/offers/:id/matches': row(403, 403, 403, 200, 200, 403),
  // Partnerships, led by organisation A: GETs read a private one (A's people and facilitators only); POSTs change a
  // public one, which has a sample school as a member.
  'GET /partnerships': all(200),
  'GET /partnerships.csv': all(200),
  'GET /partnerships/new': signedIn(200),
  'POST /partnerships': row('signin', 303, 303, 403, 403, 403),
  'GET /partnerships/:id': row(404, 200, 200, 404, 200, 404),
  'GET /partnerships/:id/report': row(404, 200, 200, 404, 200, 404),
  'GET /partnerships/:id/impact.csv': row(404, 200, 200, 404, 200, 404),
  'POST /partnerships/:id/members': row('signin', 303, 303, 403, 303, 403),
  'POST /partnerships/:id/stage': row('signin', 303, 303, 403, 303, 403),
  'POST /partnerships/:id/aims': row('signin', 303, 303, 403, 303, 403),
  'POST /partnerships/:id/activities': row('signin', 303, 303, 403, 303, 403),
  'POST /partnerships/:id/benefits': row('signin', 303, 303, 403, 303, 403),
  'GET /api/v1/partnerships': all(200),
  'GET /api/v1/partnerships/:id/impact': row(404, 200, 200, 404, 200, 404),
  // Networks: private. The network has organisation A as its member and `facilitator` as its facilitator; the
  // "what we learned" entry is by `member`.
  'GET /networks': signedIn(200),
  'GET /networks/new': row('signin', 403, 403, 403, 200, 403),
  'POST /networks': row('signin', 403, 403, 403, 303, 403),
  'GET /networks/:id': row(404, 200, 200, 404, 200, 404),
  'POST /networks/:id/members': row('signin', 403, 403, 404, 303, 404),
  'POST /networks/:id/meetings': row('signin', 403, 403, 404, 303, 404),
  'POST /networks/:id/actions': row('signin', 303, 303, 404, 303, 404),
  'POST /networks/:id/actions/:actionId/done': row('signin', 303, 303, 404, 303, 404),
  'POST /networks/:id/links': row('signin', 303, 303, 404, 303, 404),
  'POST /networks/:id/documents': row('signin', 303, 303, 404, 303, 404),
  'GET /networks/:id/resources/:resourceId': row(404, 200, 200, 404, 200, 404),
  'POST /networks/:id/learning': row('signin', 303, 303, 404, 303, 404),
  'POST /networks/:id/learning/:entryId/case-study': row('signin', 303, 403, 404, 303, 404),
};

const PASSWORD = 'matrix password that is long';
let passwordHash: string;
let t: TestApp;
const routes: string[] = [];

beforeAll(async () => {
  t = await createTestApp((r) => {
    for (const method of [r.method].flat()) if (method !== 'HEAD') routes.push(`${method} ${r.url}`);
  });
  passwordHash = await hash(PASSWORD, { memoryCost: 64, timeCost: 1, parallelism: 1, algorithm: 2 });
});
afterAll(async () => t.close());

interface World {
  targetEmail: string;
  requestId: string;
  draft: string;
  submitted: string;
  published: string;
  orgA: string;
  orgB: string;
  target: string;
  invitationId: string;
  invitationToken: string;
  need: string;
  offer: string;
  spareOffer: string;
  introduction: string;
  support: string;
  closedSupport: string;
  privatePartnership: string;
  publicPartnership: string;
  network: string;
  networkAction: string;
  networkResource: string;
  networkEntry: string;
  sessions: Record<Exclude<Role, 'anonymous'>, string>;
  emails: Record<Exclude<Role, 'anonymous'>, string>;
}

let worldCount = 0;

/** Fresh people, organisations, sessions and an invitation, made directly in the database (fast). */
async function makeWorld(app: FastifyInstance): Promise<World> {
  const repo = app.services.accounts.accounts;
  const id = `${++worldCount}.${Date.now()}`;
  const user = async (name: string, flags: { isFacilitator?: boolean; isPlatformAdmin?: boolean } = {}) => {
    const u = await repo.createUser({ email: `${name}.${id}@matrix.example`, displayName: name, passwordHash, emailVerified: true });
    if (flags.isFacilitator || flags.isPlatformAdmin) await repo.setPlatformRoles(u.id, flags);
    return u;
  };
  const [member, admin, otherAdmin, facilitator, platformAdmin, target, inviter] = await Promise.all([
    user('member'),
    user('admin'),
    user('otherAdmin'),
    user('facilitator', { isFacilitator: true }),
    user('platformAdmin', { isPlatformAdmin: true }),
    user('target'),
    user('inviter'),
  ]);
  const base = { urn: null, trustUid: null, laCode: null, postcode: null, easting: null, northing: null };
  const orgA = await repo.createOrganisation({ ...base, kind: 'charity', name: `A ${id}`, createdBy: admin.id });
  const orgB = await repo.createOrganisation({ ...base, kind: 'charity', name: `B ${id}`, createdBy: otherAdmin.id });
  await repo.addMembership(member.id, orgA.id, 'member');
  await repo.addMembership(admin.id, orgA.id, 'admin');
  await repo.addMembership(target.id, orgA.id, 'member');
  await repo.addMembership(inviter.id, orgA.id, 'admin');
  await repo.addMembership(otherAdmin.id, orgB.id, 'admin');
  const invitationToken = newToken();
  const invitation = await repo.createInvitation({ organisationId: orgA.id, emailKey: `invitee.${id}@matrix.example`, role: 'member', tokenHash: hashToken(invitationToken), invitedBy: inviter.id, expiresAt: new Date(Date.now() + 86_400_000) });
  const people = { member, admin, otherAdmin, facilitator, platformAdmin };
  const sessions = {} as World['sessions'];
  const emails = {} as World['emails'];
  for (const [role, u] of Object.entries(people) as [Exclude<Role, 'anonymous'>, { id: string; email: string }][]) {
    const sid = newToken();
    await repo.createSession({ idHash: hashToken(sid), userId: u.id, expiresAt: new Date(Date.now() + 3_600_000), activeOrganisationId: null, userAgent: null });
    sessions[role] = sid;
    emails[role] = u.email;
  }
  const studies = new CaseStudyRepository(t.database);
  const content = {
    title: `Study ${id}`, summary: 'A summary.', context: {}, contextNotes: '', challenge: 'A challenge.', approach: 'An approach.', impact: '', impactMeasures: [],
    applicability: '', partners: '', themes: ['attendance'], phases: ['secondary'], contactPreference: 'introductions', visibility: 'public' as const,
  };
  const draft = await studies.create({ ...content, organisationId: orgA.id, authorId: member.id, urn: null });
  const submitted = await studies.create({ ...content, organisationId: orgA.id, authorId: member.id, urn: null, status: 'submitted' });
  const published = await studies.create({ ...content, organisationId: orgA.id, authorId: member.id, urn: null, status: 'published' });
  await studies.saveVersion(published, 1, content, member.id);
  await studies.addLearnMore({ caseStudyId: published, fromUserId: otherAdmin.id, fromOrganisationId: orgB.id, message: 'Tell me more.' });
  const [request] = await t.database.rows<{ id: string }>(sql`select id from learn_more_requests where case_study_id = ${published}`);
  const brokerage = new BrokerageRepository(t.database);
  const needOf = (title: string) =>
    brokerage.createNeed({ organisationId: orgA.id, createdBy: member.id, title, description: '', theme: 'attendance', measures: [], phase: 'secondary', kinds: ['visit'], timeFrame: '', urgency: 'medium', visibility: 'facilitators', visibleTo: [], demonstration: false });
  const offerOf = (title: string) =>
    brokerage.createOffer({ organisationId: orgB.id, createdBy: otherAdmin.id, title, description: '', themes: ['attendance'], kinds: ['visit'], phases: ['secondary'], capacity: 3, mode: 'remote', radiusKm: null, cost: 'free', visibility: 'public', demonstration: false });
  const need = await needOf(`Need ${id}`);
  const offer = await offerOf(`Offer ${id}`);
  const spareOffer = await offerOf(`Spare offer ${id}`);
  const introduction = (await brokerage.createIntroduction({ needId: need, offerId: offer, requestedBy: 'need', requestedByUser: member.id, message: 'Hello' }))!;
  const agree = async (needId: string) => {
    const intro = (await brokerage.createIntroduction({ needId, offerId: offer, requestedBy: 'need', requestedByUser: member.id, message: 'Hello' }))!;
    const result = await brokerage.accept({ introductionId: intro, userId: otherAdmin.id, objectives: [{ text: 'Visit', measure: null }], startsOn: '2027-01-01', endsOn: '2027-06-01', contacts: [] });
    return (result as { supportId: string }).supportId;
  };
  const support = await agree(await needOf(`Agreed need ${id}`));
  const closedSupport = await agree(await needOf(`Closed need ${id}`));
  await brokerage.close(closedSupport, 'It worked.');
  const partnershipRepo = new PartnershipRepository(t.database);
  const partnership = (visibility: string) =>
    partnershipRepo.create({ name: `Partnership ${id} ${visibility}`, purpose: '', type: 'state-state', visibility, themes: ['attendance'], startedOn: '2022-09-01', leadOrganisationId: orgA.id, createdBy: admin.id });
  const privatePartnership = await partnership('private');
  const publicPartnership = await partnership('public');
  const school = (await repo.organisationBySchool(100049)) ?? (await repo.createOrganisation({ ...base, kind: 'school', name: 'Sample school', urn: 100049, createdBy: admin.id }));
  await partnershipRepo.addMember(publicPartnership, school.id, 'partner');
  const networks = new NetworkRepository(t.database);
  const network = await networks.create({ name: `Network ${id}`, purpose: '', kind: 'mutual-support', themes: ['attendance'], facilitatorId: facilitator.id });
  await networks.addMember(network, orgA.id);
  await networks.addAction(network, { description: 'Send the template', ownerId: member.id, dueOn: '2027-01-10', createdBy: member.id });
  await networks.addResource(network, { title: 'Notes', url: null, fileName: 'notes.txt', contentType: 'text/plain; charset=utf-8', content: Buffer.from('Notes'), createdBy: member.id });
  await networks.addLearning(network, { text: 'Calls from tutors work.', organisationId: orgA.id, createdBy: member.id });
  const [networkAction] = await t.database.rows<{ id: string }>(sql`select id from network_actions where network_id = ${network}`);
  const [networkResource] = await t.database.rows<{ id: string }>(sql`select id from network_resources where network_id = ${network}`);
  const [networkEntry] = await t.database.rows<{ id: string }>(sql`select id from network_learning where network_id = ${network}`);
  return { network, networkAction: networkAction!.id, networkResource: networkResource!.id, networkEntry: networkEntry!.id, privatePartnership, publicPartnership, need, offer, spareOffer, introduction, support, closedSupport, targetEmail: target.email, requestId: request!.id, draft, submitted, published, orgA: orgA.id, orgB: orgB.id, target: target.id, invitationId: invitation.id, invitationToken, sessions, emails };
}

/** The concrete request for a route in a world, with a body that passes validation. */
function requestFor(route: string, w: World, role: Role): { url: string; body?: Record<string, string>; json?: unknown; file?: { field: string; name: string; content: string } } {
  const email = role === 'anonymous' ? `anon.${worldCount}@matrix.example` : w.emails[role];
  switch (route) {
    case 'GET /assets/*':
      return { url: '/assets/favicon.svg' };
    case 'GET /assets/govuk/*':
      return { url: '/assets/govuk/manifest.json' };
    case 'GET /assets/leaflet/*':
      return { url: '/assets/leaflet/leaflet.css' };
    case 'GET /assets/govuk-frontend/*':
      return { url: '/assets/govuk-frontend/govuk-frontend.min.js' };
    case 'GET /schools.csv':
      return { url: '/schools.csv?la=202' };
    case 'GET /schools/:urn':
    case 'GET /api/v1/schools/:urn':
      return { url: route.slice(4).replace(':urn', '100025') };
    case 'GET /schools/:urn/family':
    case 'GET /schools/:urn/family.csv':
    case 'GET /schools/:urn/data-pack':
    case 'GET /schools/:urn/data-pack.csv':
    case 'GET /api/v1/schools/:urn/family':
    case 'GET /api/v1/schools/:urn/data-pack':
      return { url: route.slice(4).replace(':urn', '100049') };
    case 'GET /api/v1/models/:model/inputs':
      return { url: '/api/v1/models/dfe-primary/inputs' };
    case 'POST /api/v1/families':
      return { url: '/api/v1/families', json: { urn: '100049', inputs: ['PPPerc'], weights: [1] } };
    case 'GET /trusts/:id':
    case 'GET /api/v1/trusts/:id':
      return { url: route.slice(4).replace(':id', '4335') };
    case 'GET /local-authorities/:code':
    case 'GET /api/v1/local-authorities/:code':
      return { url: route.slice(4).replace(':code', '202') };
    case 'GET /areas/:code':
    case 'GET /areas/:code/schools.csv':
    case 'GET /api/v1/areas/:code':
      return { url: route.slice(4).replace(':code', 'E09000007') };
    case 'GET /areas/trusts/:uid':
      return { url: '/areas/trusts/4335' };
    case 'GET /verify-email':
    case 'GET /reset-password':
      return { url: `${route.slice(4)}?token=${'x'.repeat(43)}` };
    case 'POST /sign-up':
      return { url: '/sign-up', body: { displayName: 'New person', email: `new.${worldCount}.${role}@matrix.example`, password: PASSWORD } };
    case 'POST /sign-in':
      return { url: '/sign-in', body: { email: w.emails.member, password: PASSWORD } };
    case 'POST /forgot-password':
      return { url: '/forgot-password', body: { email } };
    case 'POST /reset-password':
      return { url: '/reset-password', body: { token: 'y'.repeat(43), password: 'a new long password here', passwordConfirm: 'a new long password here' } };
    case 'POST /account/password':
      return { url: '/account/password', body: { current: PASSWORD, password: 'a new long password here', passwordConfirm: 'a new long password here' } };
    case 'POST /account/delete':
      return { url: '/account/delete', body: { password: PASSWORD, confirm: 'yes' } };
    case 'POST /organisations':
      return { url: '/organisations', body: { kind: 'youth-service', name: 'Youth club' } };
    case 'POST /organisations/switch':
      return { url: '/organisations/switch', body: { organisationId: w.orgA } };
    case 'GET /organisations/:id':
      return { url: `/organisations/${w.orgA}` };
    case 'POST /organisations/:id/invitations':
      return { url: `/organisations/${w.orgA}/invitations`, body: { email: `colleague.${worldCount}@matrix.example`, role: 'member' } };
    case 'POST /organisations/:id/invitations/:invitationId/revoke':
      return { url: `/organisations/${w.orgA}/invitations/${w.invitationId}/revoke`, body: {} };
    case 'POST /organisations/:id/members/:userId/role':
      return { url: `/organisations/${w.orgA}/members/${w.target}/role`, body: { role: 'admin' } };
    case 'POST /organisations/:id/members/:userId/remove':
      return { url: `/organisations/${w.orgA}/members/${w.target}/remove`, body: {} };
    case 'POST /practice':
      return { url: '/practice', body: { title: 'A new study', themes: 'attendance', organisationId: w.orgA } };
    case 'GET /practice/:id':
    case 'GET /practice/:id/edit':
      return { url: route.slice(4).replace(':id', w.draft) };
    case 'POST /practice/:id':
      return { url: `/practice/${w.draft}`, body: { title: 'Edited', themes: 'attendance' } };
    case 'POST /practice/:id/co-authors':
      return { url: `/practice/${w.draft}/co-authors`, body: { coAuthorEmail: w.targetEmail } };
    case 'POST /practice/:id/submit':
      return { url: `/practice/${w.draft}/submit`, body: {} };
    case 'POST /practice/:id/publish':
      return { url: `/practice/${w.submitted}/publish`, body: {} };
    case 'POST /practice/:id/return':
      return { url: `/practice/${w.submitted}/return`, body: { comment: 'Please add the costs.' } };
    case 'POST /practice/:id/withdraw':
      return { url: `/practice/${w.published}/withdraw`, body: {} };
    case 'POST /practice/:id/save':
      return { url: `/practice/${w.published}/save`, body: {} };
    case 'POST /practice/:id/learn-more':
      return { url: `/practice/${w.published}/learn-more`, body: { message: 'Tell me more.' } };
    case 'GET /practice/:id/changes':
      return { url: `/practice/${w.published}/changes?from=1&to=1` };
    case 'POST /practice/requests/:requestId/reply':
      return { url: `/practice/requests/${w.requestId}/reply`, body: { reply: 'Happy to talk.' } };
    case 'POST /support/needs':
      return { url: '/support/needs', body: { organisationId: w.orgA, title: 'Help with attendance', theme: 'attendance', phase: 'secondary', kinds: 'visit' } };
    case 'POST /support/offers':
      return { url: '/support/offers', body: { organisationId: w.orgA, title: 'Visits', themes: 'attendance', kinds: 'visit', phases: 'secondary', capacity: '2', mode: 'remote' } };
    case 'GET /support/needs/:id':
    case 'GET /support/needs/:id/edit':
    case 'GET /api/v1/needs/:id/matches':
      return { url: route.slice(4).replace(':id', w.need) };
    case 'POST /support/needs/:id':
      return { url: `/support/needs/${w.need}`, body: { title: 'Changed', theme: 'attendance', phase: 'secondary', kinds: 'visit' } };
    case 'POST /support/offers/:id':
      return { url: `/support/offers/${w.offer}`, body: { title: 'Changed', themes: 'attendance', kinds: 'visit', phases: 'secondary', capacity: '3', mode: 'remote' } };
    case 'POST /support/needs/:id/close':
      return { url: `/support/needs/${w.need}/close`, body: {} };
    case 'GET /support/offers/:id':
    case 'GET /support/offers/:id/edit':
    case 'GET /api/v1/offers/:id/matches':
      return { url: route.slice(4).replace(':id', w.offer) };
    case 'POST /support/offers/:id/close':
      return { url: `/support/offers/${w.offer}/close`, body: {} };
    case 'POST /support/introductions':
      return { url: '/support/introductions', body: { needId: w.need, offerId: w.spareOffer, message: 'Could we talk?' } };
    case 'GET /support/introductions/:id':
      return { url: `/support/introductions/${w.introduction}` };
    case 'POST /support/introductions/:id/accept':
      return { url: `/support/introductions/${w.introduction}/accept`, body: { objective1: 'Visit twice', startsOn: '2027-01-06', endsOn: '2027-03-01' } };
    case 'POST /support/introductions/:id/decline':
      return { url: `/support/introductions/${w.introduction}/decline`, body: { reason: 'timing' } };
    case 'GET /support/agreements/:id':
      return { url: `/support/agreements/${w.support}` };
    case 'POST /support/agreements/:id/reviews':
      return { url: `/support/agreements/${w.support}/reviews`, body: { term: 'Spring 2027', rating: 'green' } };
    case 'POST /support/agreements/:id/close':
      return { url: `/support/agreements/${w.support}/close`, body: { reflection: 'It went well.' } };
    case 'POST /support/agreements/:id/case-study':
      return { url: `/support/agreements/${w.closedSupport}/case-study`, body: {} };
    case 'POST /partnerships':
      return { url: '/partnerships', body: { name: 'New partnership', type: 'state-state', startedOn: '2024-09-01', leadOrganisationId: w.orgA } };
    case 'GET /partnerships/:id':
    case 'GET /partnerships/:id/report':
    case 'GET /partnerships/:id/impact.csv':
    case 'GET /api/v1/partnerships/:id/impact':
      return { url: route.slice(4).replace(':id', w.privatePartnership) };
    case 'POST /partnerships/:id/members':
      return { url: `/partnerships/${w.publicPartnership}/members`, body: { organisationId: w.orgB, role: 'partner' } };
    case 'POST /partnerships/:id/stage':
      return { url: `/partnerships/${w.publicPartnership}/stage`, body: { stage: 'alliance', decidedOn: '2024-07-01', reason: 'It worked.' } };
    case 'POST /partnerships/:id/aims':
      return { url: `/partnerships/${w.publicPartnership}/aims`, body: { urn: '100049', theme: 'attendance', measure: 'absence.persistent', baseline: 'before-start' } };
    case 'POST /partnerships/:id/activities':
      return { url: `/partnerships/${w.publicPartnership}/activities`, body: { happenedOn: '2024-05-01', activityKind: 'meeting', participants: 'Heads' } };
    case 'POST /partnerships/:id/benefits':
      return { url: `/partnerships/${w.publicPartnership}/benefits`, body: { benefitKind: 'staff', benefitDescription: 'Shared planning.' } };
    case 'POST /networks':
      return { url: '/networks', body: { name: 'A new network', kind: 'peer-review' } };
    case 'GET /networks/:id':
      return { url: `/networks/${w.network}` };
    case 'GET /networks/:id/resources/:resourceId':
      return { url: `/networks/${w.network}/resources/${w.networkResource}` };
    case 'POST /networks/:id/members':
      return { url: `/networks/${w.network}/members`, body: { organisationId: w.orgB } };
    case 'POST /networks/:id/meetings':
      return { url: `/networks/${w.network}/meetings`, body: { heldOn: '2026-10-01', agenda: 'Attendance', attendance: w.orgA } };
    case 'POST /networks/:id/actions':
      return { url: `/networks/${w.network}/actions`, body: { description: 'Share the script', dueOn: '2027-02-01' } };
    case 'POST /networks/:id/actions/:actionId/done':
      return { url: `/networks/${w.network}/actions/${w.networkAction}/done`, body: {} };
    case 'POST /networks/:id/links':
      return { url: `/networks/${w.network}/links`, body: { linkTitle: 'Guidance', url: 'https://www.gov.uk/government/publications/working-together-to-improve-school-attendance' } };
    case 'POST /networks/:id/documents':
      return { url: `/networks/${w.network}/documents`, body: { documentTitle: 'Plan' }, file: { field: 'file', name: 'plan.txt', content: 'Our plan.' } };
    case 'POST /networks/:id/learning':
      return { url: `/networks/${w.network}/learning`, body: { text: 'Tutors calling works.' } };
    case 'POST /networks/:id/learning/:entryId/case-study':
      return { url: `/networks/${w.network}/learning/${w.networkEntry}/case-study`, body: {} };
    case 'GET /invitations/:token':
    case 'POST /invitations/:token':
      return { url: `/invitations/${w.invitationToken}`, ...(route.startsWith('POST') ? { body: {} } : {}) };
    default:
      return { url: route.slice(route.indexOf(' ') + 1), ...(route.startsWith('POST') ? { body: {} } : {}) };
  }
}

let sharedWorld: World;
let ipCounter = 0;

async function outcome(route: string, role: Role): Promise<Outcome> {
  const post = route.startsWith('POST ');
  const w = post ? await makeWorld(t.app) : (sharedWorld ??= await makeWorld(t.app));
  const client = new TestClient(t.app, `172.16.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`);
  if (role !== 'anonymous') client.setCookie('trellis_session', w.sessions[role]);
  const { url, body, json, file } = requestFor(route, w, role);
  let status: number;
  let location: string | undefined;
  if (json !== undefined) {
    status = (await t.app.inject({ method: 'POST', url, payload: json as object, headers: role === 'anonymous' ? {} : { cookie: `trellis_session=${w.sessions[role]}` } })).statusCode;
  } else if (post) {
    await client.get('/sign-in'); // any page with a form gives this client its CSRF cookie and token
    const token = client.csrfFor('/sign-in');
    ({ status, location } = file ? await client.postMultipart(url, body ?? {}, file, { csrf: token }) : await client.post(url, body ?? {}, { csrf: token }));
  } else {
    ({ status, location } = await client.get(url));
  }
  if (status === 303 && location?.startsWith('/sign-in?returnTo=')) return 'signin';
  return status;
}

describe('route × role authorisation matrix', () => {
  it('has a row for every route the app serves', () => {
    const missing = routes.filter((r) => !(r in MATRIX));
    const stale = Object.keys(MATRIX).filter((r) => !routes.includes(r));
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
  });

  it.each(Object.keys(MATRIX))('%s', async (route) => {
    const got: Partial<Row> = {};
    for (const role of ROLES) got[role] = await outcome(route, role);
    expect(got).toEqual(MATRIX[route]);
  });
});
