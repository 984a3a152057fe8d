/**
 * What a network may store as a shared document: a size limit and a type check by content, not by name. A file
 * whose name says one type and whose bytes say another ("report.pdf" that is really a program) is refused.
 */

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

interface Kind {
  extensions: readonly string[];
  contentType: string;
  label: string;
  matches: (bytes: Uint8Array) => boolean;
}

const startsWith = (bytes: Uint8Array, prefix: readonly number[]) => prefix.every((b, i) => bytes[i] === b);
const ZIP = [0x50, 0x4b, 0x03, 0x04];

/** Plain text: valid UTF-8 with no NUL bytes (binary files almost always have some). */
function isText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export const UPLOAD_KINDS: readonly Kind[] = [
  { extensions: ['pdf'], contentType: 'application/pdf', label: 'PDF', matches: (b) => startsWith(b, [0x25, 0x50, 0x44, 0x46, 0x2d]) },
  { extensions: ['png'], contentType: 'image/png', label: 'PNG image', matches: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { extensions: ['jpg', 'jpeg'], contentType: 'image/jpeg', label: 'JPEG image', matches: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  { extensions: ['docx'], contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', label: 'Word document', matches: (b) => startsWith(b, ZIP) },
  { extensions: ['xlsx'], contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', label: 'Excel workbook', matches: (b) => startsWith(b, ZIP) },
  { extensions: ['pptx'], contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', label: 'PowerPoint presentation', matches: (b) => startsWith(b, ZIP) },
  { extensions: ['txt', 'md'], contentType: 'text/plain; charset=utf-8', label: 'text file', matches: isText },
  { extensions: ['csv'], contentType: 'text/csv; charset=utf-8', label: 'CSV file', matches: isText },
];

export const ALLOWED_EXTENSIONS = UPLOAD_KINDS.flatMap((k) => k.extensions);

/** The content type to store and serve, or the problem in words. */
export function checkUpload(fileName: string, bytes: Uint8Array, truncated = false): { contentType: string } | { error: string } {
  if (truncated || bytes.length > MAX_UPLOAD_BYTES) return { error: `The file must be ${MAX_UPLOAD_BYTES / 1024 / 1024} MB or smaller` };
  if (bytes.length === 0) return { error: 'The file is empty' };
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  const kind = UPLOAD_KINDS.find((k) => extension && k.extensions.includes(extension));
  if (!kind) return { error: `The file must be a ${[...new Set(UPLOAD_KINDS.map((k) => k.label))].join(', ')} (${ALLOWED_EXTENSIONS.map((e) => `.${e}`).join(', ')})` };
  if (!kind.matches(bytes)) return { error: `${fileName} is not really a ${kind.label}: its contents do not match its name` };
  return { contentType: kind.contentType };
}
