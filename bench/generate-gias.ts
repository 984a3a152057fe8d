import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/**
 * Makes a GIAS-format file of `count` rows by resampling the real sample rows: each copy gets a new URN and
 * LAESTAB, a numbered name and coordinates moved by up to ±2 km, so that no two rows are identical.
 */
export function generateGias(count: number, out: string, samplePath = 'data/sample/gias/edubasealldata.csv'): string {
  const rows = parse(readFileSync(samplePath), { bom: true }) as string[][];
  const header = rows[0]!;
  const body = rows.slice(1);
  const at = (name: string) => header.indexOf(name);
  const [urnAt, nameAt, numberAt, eastAt, northAt, pupilsAt] = ['URN', 'EstablishmentName', 'EstablishmentNumber', 'Easting', 'Northing', 'NumberOfPupils'].map(at) as number[];
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const out_rows: string[][] = [];
  for (let i = 0; i < count; i++) {
    const row = [...body[i % body.length]!];
    row[urnAt!] = String(300000 + i);
    row[numberAt!] = String(1000 + (i % 9000));
    if (i >= body.length) row[nameAt!] = `${row[nameAt!]} ${Math.floor(i / body.length) + 1}`;
    if (row[eastAt!]) row[eastAt!] = String(Math.round(Number(row[eastAt!]) + (random() - 0.5) * 4000));
    if (row[northAt!]) row[northAt!] = String(Math.round(Number(row[northAt!]) + (random() - 0.5) * 4000));
    if (row[pupilsAt!]) row[pupilsAt!] = String(Math.max(1, Math.round(Number(row[pupilsAt!]) * (0.9 + random() * 0.2))));
    out_rows.push(row);
  }
  writeFileSync(out, stringify([header, ...out_rows]));
  return out;
}
