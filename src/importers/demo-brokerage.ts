import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { AccountRepository } from '../db/repositories/account.repository';
import { BrokerageRepository } from '../db/repositories/brokerage.repository';
import { DEMO_NEEDS, DEMO_OFFERS, DEMO_ORGANISATIONS } from './demo-brokerage-data';

/**
 * Loads the demonstration needs and offers (once), for real Birmingham sample schools, the council, two agencies and
 * an independent school, all marked as demonstration; plus one agreed support with a review and one introduction
 * waiting for an answer, so that every brokerage page has something to show on a first run.
 */
export async function loadDemoBrokerage(database: Database, log: (m: string) => void = () => {}): Promise<{ needs: number; offers: number }> {
  const repo = new BrokerageRepository(database);
  if ((await repo.count('needs')) > 0 || (await repo.count('offers')) > 0) return { needs: 0, offers: 0 };
  const accounts = new AccountRepository(database);
  const author = (await accounts.userByEmail('demonstration@trellis.invalid')) ?? (await accounts.createUser({ email: 'demonstration@trellis.invalid', displayName: 'Trellis demonstration content', passwordHash: null, emailVerified: true }));
  const organisationIds = new Map<string, string>();
  for (const o of DEMO_ORGANISATIONS) {
    let id: string;
    if (o.urn) {
      const existing = await accounts.organisationBySchool(o.urn);
      if (existing) id = existing.id;
      else {
        const [school] = await database.rows<{ name: string; la_code: string | null; postcode: string | null; easting: number | null; northing: number | null }>(sql`
          select name, la_code, postcode, easting, northing from establishments where urn = ${o.urn}`);
        if (!school) continue; // not in this sample: its needs and offers are skipped below
        id = (await accounts.createOrganisation({ kind: 'school', name: school.name, urn: o.urn, trustUid: null, laCode: school.la_code, postcode: school.postcode, easting: school.easting, northing: school.northing, createdBy: author.id })).id;
      }
    } else {
      id = (await accounts.createOrganisation({ kind: o.kind as never, name: o.name, urn: null, trustUid: null, laCode: o.laCode ?? null, postcode: null, easting: o.easting ?? null, northing: o.northing ?? null, createdBy: author.id })).id;
    }
    if (o.designations?.length) await database.rows(sql`update organisations set designations = ${sql.param(o.designations)}::text[] where id = ${id}`);
    organisationIds.set(o.key, id);
  }
  const offerIds = new Map<string, string>();
  for (const f of DEMO_OFFERS) {
    const organisationId = organisationIds.get(f.organisation);
    if (!organisationId) continue;
    offerIds.set(f.key, await repo.createOffer({ ...f, organisationId, createdBy: author.id, demonstration: true }));
  }
  const needIds = new Map<string, string>();
  for (const n of DEMO_NEEDS) {
    const organisationId = organisationIds.get(n.organisation);
    if (!organisationId) continue;
    const visibleTo = (n.visibleTo ?? []).map((k) => organisationIds.get(k)).filter((x): x is string => !!x);
    needIds.set(n.key, await repo.createNeed({ ...n, organisationId, createdBy: author.id, visibleTo, demonstration: true }));
  }
  // One agreed support with a termly review, and one introduction waiting for an answer.
  const pairs: [string, string, 'agree' | 'wait'][] = [
    ['rockwood', 'sheldon-heath-attendance', 'agree'],
    ['cockshut-hill', 'yardleys-attendance', 'wait'],
  ];
  for (const [needKey, offerKey, what] of pairs) {
    const needId = needIds.get(needKey);
    const offerId = offerIds.get(offerKey);
    if (!needId || !offerId) continue;
    const introductionId = await repo.createIntroduction({ needId, offerId, requestedBy: 'need', requestedByUser: author.id, message: 'We would value a visit and a joint improvement cycle on persistent absence.', demonstration: true });
    if (!introductionId || what === 'wait') continue;
    const accepted = await repo.accept({
      introductionId,
      userId: author.id,
      objectives: [
        { text: 'Adopt first-day calling and third-day visits for every persistently absent pupil', measure: 'absence.persistent' },
        { text: 'Train tutors to hold attendance conversations with families', measure: null },
      ],
      startsOn: '2026-09-01',
      endsOn: '2027-07-16',
      contacts: [],
      demonstration: true,
    });
    if ('supportId' in accepted) {
      await repo.addReview({ supportId: accepted.supportId, term: 'Autumn 2026', rating: 'amber', notes: 'First-day calls in place; home visits started late because of staffing. Agreed to share a visit rota.', createdBy: author.id });
    }
  }
  log(`sample: ${needIds.size} demonstration needs and ${offerIds.size} offers`);
  return { needs: needIds.size, offers: offerIds.size };
}
