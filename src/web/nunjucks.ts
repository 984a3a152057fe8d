import type nunjucksModule from 'nunjucks';
import { formatAcademicYear } from '../domain/schools/years';
import { queryString } from './query-string';

const numberFormat = new Intl.NumberFormat('en-GB');
const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** One Nunjucks environment with Trellis's filters. Autoescaping is on: nothing user-supplied reaches a page raw. */
export function configureNunjucks(nunjucks: typeof nunjucksModule, paths: string[]): nunjucksModule.Environment {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(paths, { noCache: false }), {
    autoescape: true,
    throwOnUndefined: false,
    trimBlocks: true,
    lstripBlocks: true,
  });
  env.addFilter('number', (n: unknown) => (typeof n === 'number' && Number.isFinite(n) ? numberFormat.format(n) : ''));
  env.addFilter('date', (iso: unknown) => {
    if (typeof iso !== 'string' || iso === '') return '';
    const d = new Date(`${iso}T00:00:00Z`);
    return Number.isNaN(d.getTime()) ? iso : dateFormat.format(d);
  });
  env.addFilter('academicYear', (y: unknown) => (typeof y === 'number' ? formatAcademicYear(y) : ''));
  /** Builds a query string from an object, dropping empty values; arrays repeat the key. */
  env.addFilter('querystring', queryString);
  env.addFilter('websiteUrl', (site: unknown) => {
    if (typeof site !== 'string' || site.trim() === '') return '';
    const trimmed = site.trim();
    return /^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  });
  return env;
}
