import { createReadStream, statSync } from 'node:fs';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { parse, CsvError } from 'csv-parse';
import iconv from 'iconv-lite';

/** One problem found in an import file, with the line it is on (1-based, the header is line 1). */
export interface RowProblem {
  line: number;
  column?: string;
  message: string;
}

/** The file could not be imported; nothing was changed. Carries every problem found (up to a limit). */
export class ImportError extends Error {
  constructor(
    message: string,
    readonly problems: readonly RowProblem[] = [],
    readonly totalProblems: number = problems.length,
  ) {
    super(message);
    this.name = 'ImportError';
  }

  /** A report a person can act on: the summary, then one line per problem. */
  report(): string {
    const lines = this.problems.map((p) => `  line ${p.line}${p.column ? `, ${p.column}` : ''}: ${p.message}`);
    const more = this.totalProblems > this.problems.length ? [`  … and ${this.totalProblems - this.problems.length} more`] : [];
    return [this.message, ...lines, ...more].join('\n');
  }
}

export type Encoding = 'utf-8' | 'windows-1252';

class NotUtf8Error extends Error {}

/** Decodes UTF-8 strictly, so that a Windows-1252 file is noticed instead of read as replacement characters. */
class StrictUtf8Decoder extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  constructor() {
    super({ decodeStrings: true, readableObjectMode: false });
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    try {
      callback(null, this.decoder.decode(chunk, { stream: true }));
    } catch {
      callback(new NotUtf8Error('not UTF-8'));
    }
  }
  override _flush(callback: TransformCallback): void {
    try {
      callback(null, this.decoder.decode());
    } catch {
      callback(new NotUtf8Error('not UTF-8'));
    }
  }
}

export type CsvInput = string | Buffer;

export interface CsvRecord {
  /** Line of the file on which the record ends (1-based). */
  line: number;
  values: string[];
}

export interface Progress {
  bytesRead: number;
  totalBytes: number;
  rows: number;
}

function openBytes(input: CsvInput, onBytes: (n: number) => void): Readable {
  const stream = typeof input === 'string' ? createReadStream(input, { highWaterMark: 256 * 1024 }) : Readable.from([input]);
  stream.on('data', (chunk: Buffer | string) => onBytes(chunk.length));
  return stream;
}

export function inputSize(input: CsvInput): number {
  return typeof input === 'string' ? statSync(input).size : input.length;
}

/** Streams the records of a CSV file decoded with the given encoding. */
export async function* readCsv(input: CsvInput, encoding: Encoding, onBytes: (n: number) => void = () => {}): AsyncGenerator<CsvRecord> {
  const bytes = openBytes(input, onBytes);
  const decoder = encoding === 'utf-8' ? new StrictUtf8Decoder() : iconv.decodeStream('win1252');
  const parser = parse({ bom: true, relax_column_count: true, info: true, skip_empty_lines: true });
  bytes.on('error', (e) => parser.destroy(e));
  decoder.on('error', (e: Error) => parser.destroy(e));
  bytes.pipe(decoder).pipe(parser);
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { line: item.info.lines, values: item.record };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines ?? 0;
      throw new ImportError('The file is not valid CSV.', [{ line, message: error.message.replace(/^Invalid [^:]*: /, '') }]);
    }
    throw error;
  } finally {
    bytes.destroy();
  }
}

/**
 * Runs `attempt` reading the file as UTF-8 and, if the file turns out not to be UTF-8 (older GIAS extracts are
 * Windows-1252), runs it again from the start as Windows-1252. `attempt` must be safe to repeat (transactional).
 */
export async function withDetectedEncoding<T>(attempt: (encoding: Encoding) => Promise<T>): Promise<T> {
  try {
    return await attempt('utf-8');
  } catch (error) {
    if (error instanceof NotUtf8Error || (error as { cause?: unknown })?.cause instanceof NotUtf8Error) {
      return attempt('windows-1252');
    }
    throw error;
  }
}

/** Checks a header row: every required column present, none twice. Returns column name → index. */
export function indexHeader(header: readonly string[], required: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  const problems: RowProblem[] = [];
  header.forEach((raw, i) => {
    const name = raw.trim();
    if (index.has(name) && name !== '') problems.push({ line: 1, column: name, message: `column "${name}" appears twice` });
    else index.set(name, i);
  });
  const missing = required.filter((c) => !index.has(c));
  for (const column of missing) problems.push({ line: 1, column, message: `required column "${column}" is missing` });
  if (problems.length > 0) {
    throw new ImportError(
      missing.length === required.length
        ? 'The header row is not the expected layout: none of the required columns were found. Is this the right file?'
        : 'The header row is not the expected layout.',
      problems,
    );
  }
  return index;
}
