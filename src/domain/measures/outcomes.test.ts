import { describe, expect, it } from 'vitest';
import { measureByCode } from './catalogue';
import { buildAreaOutcomes, buildSchoolOutcomes, comparisonPhase, disadvantageGap, type MeasureValue } from './outcomes';

const absence = measureByCode('absence.overall')!;
const ptr = measureByCode('workforce.pupil-teacher-ratio')!;
const a8 = measureByCode('ks4.attainment8')!;

const v = (entityType: MeasureValue['entityType'], measure: string, year: number, value: number | null, breakdown = 'all', status: string | null = null): MeasureValue => ({
  entityType,
  entityCode: entityType === 'school' ? '100025' : entityType === 'la' ? '202' : 'E92000001',
  measure,
  breakdown,
  year,
  value,
  status,
});

describe('comparisonPhase', () => {
  it.each([
    ['Primary', 'primary'],
    ['Middle deemed primary', 'primary'],
    ['Nursery', 'primary'],
    ['Secondary', 'secondary'],
    ['All-through', 'secondary'],
    ['16 plus', 'secondary'],
    ['Middle deemed secondary', 'secondary'],
    ['Not applicable', null],
    [null, null],
  ])('%s → %s', (phase, expected) => expect(comparisonPhase(phase)).toBe(expected));
});

describe('buildSchoolOutcomes', () => {
  it('compares a primary school with the primary LA and England figures, year by year', () => {
    const values = [
      v('school', 'absence.overall', 2022, 6.67743),
      v('school', 'absence.overall', 2023, 6.06903),
      v('la', 'absence.overall', 2023, 4.3, 'primary'),
      v('la', 'absence.overall', 2023, 7.9, 'secondary'),
      v('england', 'absence.overall', 2022, 5.89553, 'primary'),
      v('england', 'absence.overall', 2023, 5.52668, 'primary'),
    ];
    const [sut] = buildSchoolOutcomes([absence], values, 'Primary');
    expect(sut!.rows.map((r) => [r.yearLabel, r.school.display, r.la.display, r.england.display])).toEqual([
      ['2022/23', '6.7%', 'Not published', '5.9%'],
      ['2023/24', '6.1%', '4.3%', '5.5%'],
    ]);
    expect(sut!.comparison).toContain('primary');
  });

  it('keeps a suppressed school figure missing with its reason, never zero', () => {
    const values = [v('school', 'ks4.attainment8', 2024, null, 'all', 'Suppressed'), v('england', 'ks4.attainment8', 2024, 46)];
    const [sut] = buildSchoolOutcomes([a8], values, 'Secondary');
    expect(sut!.rows[0]!.school).toEqual({ value: null, display: 'Suppressed', missing: true });
    expect(sut!.rows[0]!.england.display).toBe('46.0');
  });

  it('prefers the all-schools comparator and says so', () => {
    const values = [v('school', 'ks4.attainment8', 2024, 41.5), v('la', 'ks4.attainment8', 2024, 46.9), v('england', 'ks4.attainment8', 2024, 46)];
    const [sut] = buildSchoolOutcomes([a8], values, 'All-through');
    expect(sut!.comparison).toBe('Compared with all state-funded schools in the local authority and in England.');
  });

  it('says when no comparison is published for the phase (a special school)', () => {
    const values = [v('school', 'absence.overall', 2023, 12.1), v('england', 'absence.overall', 2023, 5.5, 'primary')];
    const [sut] = buildSchoolOutcomes([absence], values, 'Not applicable');
    expect(sut!.rows[0]!.england.display).toBe('Not published');
    expect(sut!.comparison).toMatch(/No local authority or England figure is published for schools of this phase/);
  });

  it('shows "Not published" for LA and England pupil–teacher ratios (none are in the data)', () => {
    const [sut] = buildSchoolOutcomes([ptr], [v('school', 'workforce.pupil-teacher-ratio', 2024, 18.7)], 'Primary');
    expect([sut!.rows[0]!.school.display, sut!.rows[0]!.la.display, sut!.rows[0]!.england.display]).toEqual(['18.7', 'Not published', 'Not published']);
  });

  it('leaves out measures the school has no figure for, and keeps catalogue order', () => {
    const values = [v('school', 'workforce.pupil-teacher-ratio', 2024, 18.7), v('school', 'absence.overall', 2023, 6)];
    expect(buildSchoolOutcomes([absence, a8, ptr], values, 'Primary').map((s) => s.measure.code)).toEqual(['absence.overall', 'workforce.pupil-teacher-ratio']);
  });

  it('gives nothing for a school with no figures', () => {
    expect(buildSchoolOutcomes([absence, a8, ptr], [], 'Primary')).toEqual([]);
  });
});

describe('buildAreaOutcomes', () => {
  it('gives one series per published breakdown, all first, and skips breakdowns with no values', () => {
    const values = [
      v('la', 'absence.overall', 2023, 7.9, 'secondary'),
      v('la', 'absence.overall', 2023, 4.3, 'primary'),
      v('england', 'absence.overall', 2023, 5.5, 'primary'),
      v('la', 'ks4.attainment8', 2024, null, 'all', 'Not published'),
    ];
    const sut = buildAreaOutcomes([absence, a8], values);
    expect(sut.map((s) => `${s.measure.code}/${s.breakdown}`)).toEqual(['absence.overall/primary', 'absence.overall/secondary']);
    expect(sut[1]!.rows[0]!.england.display).toBe('Not published');
  });
});

describe('disadvantageGap', () => {
  it('takes the latest year with both figures; other minus disadvantaged', () => {
    const values = [
      v('la', 'ks4.attainment8.disadvantaged', 2023, 40.9),
      v('la', 'ks4.attainment8.disadvantaged', 2024, 40.6),
      v('la', 'ks4.attainment8.other', 2024, 54.8),
    ];
    expect(disadvantageGap(values, 'la', '202')).toEqual({ year: 2024, yearLabel: '2024/25', disadvantaged: 40.6, other: 54.8, gap: 14.2 });
  });
  it('is null when a figure is missing or suppressed', () => {
    expect(disadvantageGap([v('la', 'ks4.attainment8.disadvantaged', 2024, 40.6), v('la', 'ks4.attainment8.other', 2024, null, 'all', 'Suppressed')], 'la', '202')).toBeNull();
    expect(disadvantageGap([], 'england', 'E92000001')).toBeNull();
  });
});
