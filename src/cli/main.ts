import { existsSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { ConfigError, loadConfig } from '../config';
import { openDatabase, type Database } from '../db/client';
import { BackupError, backupDatabase, redactUrl, restoreDatabase, type BackupTarget } from '../db/backup';
import { AccountRepository } from '../db/repositories/account.repository';
import { ImportError, type Progress } from '../importers/csv-source';
import type { ImportOptions, ImportResult } from '../importers/csv-import';
import { importGias } from '../importers/gias.importer';
import { importGiasGroups } from '../importers/gias-groups.importer';
import { importGiasLinks } from '../importers/gias-links.importer';
import { importMeasures } from '../importers/measures.importer';
import { importCensus, type CensusImportResult } from '../importers/census.importer';
import { importGiasNational } from '../importers/gias-national.importer';
import { importAbsenceNational } from '../importers/absence-national.importer';
import { loadSample } from '../importers/sample';
import { MODEL_IDS, type ModelId } from '../domain/similarity/models';
import { FamiliesService } from '../modules/families/families.service';

const USAGE = `Usage: npm run trellis -- <command>

Commands:
  import gias <file.csv>          GIAS "edubasealldata" establishments extract (upsert by URN)
  import gias-links <file.csv>    GIAS establishment links (predecessor, successor …)
  import gias-groups <file.csv>   GIAS groups: trusts, federations, sponsors ("allgroupsdata")
  import gias-national <file.csv> the national list of open establishments (snake_case columns; Welsh ones left out)
  import census <file.csv>        DfE school-level census ("Schools, pupils and their characteristics"): FSM %, EAL %, headcount;
                                  fills the areas (LA, district, region, urban/rural, trust) GIAS left empty
  import absence-national <file.csv>  national school-level absence, 2024/25: overall and persistent absence
  import measures <folder>        DfE measure files with their datamap.csv (absence, workforce, KS4, similar-school inputs)
  import sample                   everything in data/sample (what npm start loads into an empty database)
  families rebuild [--model m]    recompute and store families (dfe-primary, dfe-secondary, fbit-pupil, census-pupil; all by default)
  users grant <email> <role>      give a person a platform role: facilitator or platform-admin
  users revoke <email> <role>     take a platform role away
  migrate                         apply database migrations and exit
  backup <file>                   back up the database: PostgreSQL with pg_dump (custom format); the embedded
                                  database as a gzipped copy of its data directory (stop the server first)
  restore <file> [--force]        restore a backup into the database; refused when the database holds data,
                                  unless --force (the message lists what would be replaced)

The database is DATABASE_URL when set, otherwise the embedded database in TRELLIS_DATA_DIR (default ./data/db).
Every import is one transaction: a file with any bad row changes nothing, and the problems are listed by line.`;

/** A progress bar on a terminal; a line every few seconds when output is not a terminal (CI, logs). */
function progressReporter(label: string): { update: (p: Progress) => void; stop: () => void } {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {percentage}% | {rows} rows | {eta_formatted} left`, stream: process.stderr },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update: (p) => {
        if (!started) {
          bar.start(p.totalBytes || 1, 0, { rows: 0 });
          started = true;
        }
        bar.update(p.bytesRead, { rows: p.rows });
      },
      stop: () => started && bar.stop(),
    };
  }
  let last = 0;
  return {
    update: (p) => {
      const now = Date.now();
      if (now - last > 2000 || p.bytesRead >= p.totalBytes) {
        last = now;
        const pct = p.totalBytes ? Math.floor((100 * p.bytesRead) / p.totalBytes) : 0;
        process.stderr.write(`${label}: ${pct}% (${p.rows} rows)\n`);
      }
    },
    stop: () => undefined,
  };
}

async function runCsv(
  database: Database,
  label: string,
  file: string | undefined,
  run: (db: Database, file: string, options: ImportOptions) => Promise<ImportResult>,
): Promise<void> {
  if (!file) throw new UsageError(`Give the file to import: npm run trellis -- import ${label} <file.csv>`);
  if (!existsSync(file)) throw new UsageError(`There is no file at ${file}.`);
  const progress = progressReporter(`import ${label}`);
  const started = Date.now();
  try {
    const result = await run(database, file, { onProgress: progress.update });
    progress.stop();
    console.log(`Imported ${result.rows} rows from ${file} (${result.encoding}) in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    if (result.skipped) console.log(`Left out ${result.skipped.rows} rows: ${result.skipped.reason}.`);
    const census = result as Partial<CensusImportResult>;
    if (census.establishmentsPlaced !== undefined) {
      console.log(`Filled the areas of ${census.establishmentsPlaced} establishments in the directory from the census, and of ${census.establishmentsPlacedByLa ?? 0} opened since from their local authority.`);
    }
  } finally {
    progress.stop();
  }
}

class UsageError extends Error {}

async function familiesCommand(database: Database, action: string | undefined, args: string[]): Promise<number> {
  if (action !== 'rebuild') throw new UsageError('Usage: npm run trellis -- families rebuild [--model dfe-primary|dfe-secondary|fbit-pupil|census-pupil]');
  const at = args.indexOf('--model');
  const requested = at >= 0 ? args[at + 1] : undefined;
  if (requested !== undefined && !MODEL_IDS.includes(requested as ModelId)) throw new UsageError(`Unknown model "${requested}". Choose one of: ${MODEL_IDS.join(', ')}.`);
  const models = requested ? [requested as ModelId] : MODEL_IDS;
  const bars = new Map<string, ReturnType<typeof progressReporter>>();
  const results = await new FamiliesService(database).rebuild(models, (model, done, total) => {
    let bar = bars.get(model);
    if (!bar) bars.set(model, (bar = progressReporter(`families ${model}`)));
    bar.update({ bytesRead: done, totalBytes: total, rows: done });
  });
  for (const bar of bars.values()) bar.stop();
  for (const r of results) console.log(`Families under ${r.model}: ${r.population} schools (${r.excluded} without the inputs) in ${r.milliseconds} ms.`);
  return 0;
}

/** Platform roles are granted from the command line by whoever runs the server: there is no default admin account. */
async function usersCommand(database: Database, action: string | undefined, email: string | undefined, role: string | undefined): Promise<number> {
  if ((action !== 'grant' && action !== 'revoke') || !email || (role !== 'facilitator' && role !== 'platform-admin')) {
    throw new UsageError('Usage: npm run trellis -- users grant|revoke <email> facilitator|platform-admin');
  }
  const accounts = new AccountRepository(database);
  const user = await accounts.userByEmail(email);
  if (!user) throw new UsageError(`No account has the email ${email}. The person must sign up first.`);
  const value = action === 'grant';
  await accounts.setPlatformRoles(user.id, role === 'facilitator' ? { isFacilitator: value } : { isPlatformAdmin: value });
  await accounts.audit({ event: 'platform-role.changed', targetUserId: user.id, detail: { role, granted: value, via: 'command line' } });
  console.log(`${value ? 'Granted' : 'Revoked'} ${role} ${value ? 'to' : 'from'} ${user.displayName} <${user.email}>.`);
  return 0;
}

async function backupCommand(command: 'backup' | 'restore', target: BackupTarget, args: string[]): Promise<number> {
  const force = args.includes('--force');
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) throw new UsageError(`Give the backup file: npm run trellis -- ${command} <file>${command === 'restore' ? ' [--force]' : ''}`);
  const where = target.kind === 'pglite' ? `the embedded database in ${target.dataDir}` : `PostgreSQL ${redactUrl(target.url)}`;
  const started = Date.now();
  const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
  if (command === 'backup') {
    const result = await backupDatabase(target, file);
    console.log(`Backed up ${where} to ${result.file} (${(result.bytes / 1e6).toFixed(1)} MB, ${result.format}) in ${seconds()} s.`);
    return 0;
  }
  const result = await restoreDatabase(target, file, { force });
  console.log(`Restored ${file} into ${where} in ${seconds()} s.`);
  if (result.replaced.length) console.log(`It replaced ${result.replaced.reduce((n, t) => n + t.rows, 0).toLocaleString('en-GB')} rows in ${result.replaced.length} tables.`);
  if (result.previousDataDir) console.log(`The replaced data directory is kept at ${result.previousDataDir}: delete it when you no longer need it.`);
  console.log('Migrations newer than the backup are applied when the server next starts (or run: npm run trellis -- migrate).');
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, kind, target] = argv;
  if (!command || command === 'help' || command === '--help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const config = loadConfig();
  if (command === 'backup' || command === 'restore') {
    // Neither opens the database through the app: a restore must not migrate or hold the target open first.
    const target: BackupTarget = config.DATABASE_URL ? { kind: 'postgres', url: config.DATABASE_URL } : { kind: 'pglite', dataDir: config.TRELLIS_DATA_DIR };
    try {
      return await backupCommand(command, target, argv.slice(1));
    } catch (error) {
      if (error instanceof BackupError || error instanceof UsageError) {
        console.error(error.message);
        return error instanceof UsageError ? 2 : 1;
      }
      throw error;
    }
  }
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.TRELLIS_DATA_DIR });
  try {
    if (command === 'migrate') {
      console.log('Migrations are applied.');
      return 0;
    }
    if (command === 'users') return await usersCommand(database, kind, target, argv[3]);
    if (command === 'families') return await familiesCommand(database, kind, argv.slice(2));
    if (command !== 'import') throw new UsageError(`Unknown command "${command}".\n\n${USAGE}`);
    switch (kind) {
      case 'gias':
        await runCsv(database, 'gias', target, importGias);
        // FBIT families use GIAS region and phase: recompute the stored families.
        await familiesCommand(database, 'rebuild', []);
        break;
      case 'gias-links':
        await runCsv(database, 'gias-links', target, importGiasLinks);
        break;
      case 'gias-groups':
        await runCsv(database, 'gias-groups', target, importGiasGroups);
        break;
      case 'gias-national':
        await runCsv(database, 'gias-national', target, importGiasNational);
        await familiesCommand(database, 'rebuild', []);
        break;
      case 'absence-national':
        await runCsv(database, 'absence-national', target, importAbsenceNational);
        break;
      case 'census':
        await runCsv(database, 'census', target, importCensus);
        // The census comparators (census-pupil) are computed from the census: recompute the stored families.
        await familiesCommand(database, 'rebuild', []);
        break;
      case 'measures': {
        if (!target) throw new UsageError('Give the folder of measure files: npm run trellis -- import measures <folder>');
        const result = await importMeasures(database, target);
        console.log(`Imported ${result.values} measure values and ${result.similarityInputs} similar-school inputs from ${result.files.join(', ')}.`);
        // Families are derived from the inputs just imported: recompute them now.
        await familiesCommand(database, 'rebuild', []);
        break;
      }
      case 'sample':
        await loadSample(database, config.TRELLIS_SAMPLE_DIR, (m) => console.log(m));
        break;
      default:
        throw new UsageError(`Unknown import "${kind ?? ''}".\n\n${USAGE}`);
    }
    return 0;
  } catch (error) {
    if (error instanceof ImportError) {
      console.error(error.report());
      return 1;
    }
    if (error instanceof UsageError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);
