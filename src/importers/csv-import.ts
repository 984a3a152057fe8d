import type { z } from 'zod';
import type { Database, Db } from '../db/client';
import { DirectoryWriter } from '../db/repositories/directory-writer.repository';
import {
  ImportError,
  indexHeader,
  inputSize,
  readCsv,
  withDetectedEncoding,
  type CsvInput,
  type Progress,
  type RowProblem,
} from './csv-source';
import { issuesToProblems } from './fields';
import { stopwatch, type OperationTimings } from '../modules/ops/timings';

export interface ImportOptions {
  onProgress?: (progress: Progress) => void;
  /** Most problems listed in the error; the count of all problems is always given. */
  maxProblems?: number;
  /** Rows written per statement. */
  batchSize?: number;
  /** Told how long the import took (the app's metrics). */
  timings?: OperationTimings | undefined;
}

export interface ImportResult {
  /** Rows written. */
  rows: number;
  encoding: string;
  /** Valid rows the importer leaves out on purpose (see the spec's `skip`), with the reason. */
  skipped?: { rows: number; reason: string };
}

export interface CsvImportSpec<Shape extends z.ZodRawShape, Rec> {
  /** Recorded in import_runs and used in messages: `gias`, `gias-links` … */
  kind: string;
  /** What one row is, for messages: "establishments", "links". */
  noun: string;
  required: readonly string[];
  row: z.ZodObject<Shape>;
  toRecord: (row: z.output<z.ZodObject<Shape>>) => Rec;
  /** A key that must be unique in the file, with the column to name when it is not. */
  uniqueKey?: { column: string; of: (rec: Rec) => string | number };
  write: (tx: Db, batch: readonly Rec[]) => Promise<void>;
  /** Valid rows that are left out on purpose (not problems): counted and reported with the reason. */
  skip?: { when: (rec: Rec) => boolean; reason: string };
  /** Runs in the same transaction after the last batch. */
  finish?: (tx: Db) => Promise<void>;
}

/**
 * The one way Trellis imports a CSV file: stream it (UTF-8, or Windows-1252 when it is not UTF-8), check the header,
 * validate every row with Zod, and write in batches inside one transaction. Any problem rolls the whole file back
 * and raises an ImportError listing the problems by line, so a bad file changes nothing.
 */
export async function runCsvImport<Shape extends z.ZodRawShape, Rec>(
  database: Database,
  input: CsvInput,
  spec: CsvImportSpec<Shape, Rec>,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const elapsed = stopwatch();
  const maxProblems = options.maxProblems ?? 50;
  const batchSize = options.batchSize ?? 2000;
  const totalBytes = inputSize(input);
  const columns = Object.keys(spec.row.shape);
  const writer = new DirectoryWriter(database);
  const runId = await writer.startRun(spec.kind, typeof input === 'string' ? input : '(upload)');
  try {
    const result = await withDetectedEncoding(async (encoding) => {
      let bytesRead = 0;
      let rows = 0;
      let skipped = 0;
      let problemCount = 0;
      const problems: RowProblem[] = [];
      const addProblem = (p: RowProblem) => {
        problemCount += 1;
        if (problems.length < maxProblems) problems.push(p);
      };
      const seen = new Map<string | number, number>();
      await database.db.transaction(async (tx) => {
        let header: Map<string, number> | undefined;
        let headerWidth = 0;
        let batch: Rec[] = [];
        const flush = async () => {
          if (batch.length > 0 && problemCount === 0) await spec.write(tx, batch);
          batch = [];
        };
        for await (const record of readCsv(input, encoding, (n) => (bytesRead += n))) {
          if (!header) {
            header = indexHeader(record.values, spec.required);
            headerWidth = record.values.length;
            continue;
          }
          if (record.values.length !== headerWidth) {
            addProblem({
              line: record.line,
              message: `has ${record.values.length} fields but the header has ${headerWidth}: is a quote or comma out of place?`,
            });
            continue;
          }
          const cells: Record<string, string> = {};
          for (const column of columns) {
            const at = header.get(column);
            cells[column] = at === undefined ? '' : (record.values[at] ?? '');
          }
          const parsed = spec.row.safeParse(cells);
          if (!parsed.success) {
            for (const p of issuesToProblems(record.line, parsed.error)) addProblem(p);
            continue;
          }
          const rec = spec.toRecord(parsed.data);
          if (spec.uniqueKey) {
            const key = spec.uniqueKey.of(rec);
            const previous = seen.get(key);
            if (previous !== undefined) {
              addProblem({ line: record.line, column: spec.uniqueKey.column, message: `${key} is also on line ${previous}` });
              continue;
            }
            seen.set(key, record.line);
          }
          if (spec.skip?.when(rec)) {
            skipped += 1;
            continue;
          }
          rows += 1;
          batch.push(rec);
          if (batch.length >= batchSize) await flush();
          if (rows % 1000 === 0) options.onProgress?.({ bytesRead, totalBytes, rows });
        }
        if (!header) throw new ImportError(`The file is empty: it has no header row and no ${spec.noun}; nothing was imported.`);
        if (problemCount > 0) {
          throw new ImportError(
            `The file has ${problemCount} problem${problemCount === 1 ? '' : 's'}; nothing was imported.`,
            problems,
            problemCount,
          );
        }
        if (rows === 0) {
          throw new ImportError(
            skipped > 0
              ? `The file has no ${spec.noun} to import: all ${skipped} were left out (${spec.skip!.reason}); nothing was imported.`
              : `The file has a header row but no ${spec.noun}; nothing was imported.`,
          );
        }
        await flush();
        await spec.finish?.(tx);
      });
      options.onProgress?.({ bytesRead: totalBytes, totalBytes, rows });
      return spec.skip && skipped > 0 ? { rows, encoding, skipped: { rows: skipped, reason: spec.skip.reason } } : { rows, encoding };
    });
    await writer.finishRun(
      runId,
      'succeeded',
      result.rows,
      `encoding ${result.encoding}${result.skipped ? `; ${result.skipped.rows} rows left out: ${result.skipped.reason}` : ''}`,
    );
    options.timings?.importFinished(spec.kind, 'succeeded', elapsed());
    return result;
  } catch (error) {
    await writer.finishRun(runId, 'failed', null, error instanceof ImportError ? error.report() : String(error));
    options.timings?.importFinished(spec.kind, 'failed', elapsed());
    throw error;
  }
}
