/**
 * Prints the configuration reference (markdown) generated from the Zod config schema in src/config.ts;
 * with --write, puts it into docs/operations.md between its markers.
 *   npm run docs:config            print the table
 *   npm run docs:config -- --write update docs/operations.md
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { configReference, withReference } from '../src/config-reference';

const DOC = 'docs/operations.md';
if (process.argv.includes('--write')) {
  const before = readFileSync(DOC, 'utf8');
  const after = withReference(before);
  writeFileSync(DOC, after);
  console.log(after === before ? `${DOC} was already up to date.` : `Updated the configuration reference in ${DOC}.`);
} else {
  console.log(configReference());
}
