import { describe, expect, it } from 'vitest';
import { checkUpload, MAX_UPLOAD_BYTES } from './uploads';

const bytes = (...xs: number[]) => new Uint8Array(xs);
const text = (s: string) => new TextEncoder().encode(s);

describe('uploads are checked by content, not by name', () => {
  it.each([
    ['a real PDF', 'plan.pdf', text('%PDF-1.7\n...'), { contentType: 'application/pdf' }],
    ['a PNG', 'chart.PNG', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0), { contentType: 'image/png' }],
    ['a JPEG', 'photo.jpeg', bytes(0xff, 0xd8, 0xff, 0xe0, 1, 2), { contentType: 'image/jpeg' }],
    ['a Word document (zip)', 'notes.docx', bytes(0x50, 0x4b, 0x03, 0x04, 20, 0), { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' }],
    ['a CSV', 'actions.csv', text('owner,due\nAisha,2027-01-10\n'), { contentType: 'text/csv; charset=utf-8' }],
    ['plain text with accents', 'read-me.txt', text('Café — naïve'), { contentType: 'text/plain; charset=utf-8' }],
    ['a program disguised as a PDF', 'report.pdf', bytes(0x4d, 0x5a, 0x90, 0x00), { error: 'report.pdf is not really a PDF: its contents do not match its name' }],
    ['an HTML page disguised as a PNG', 'chart.png', text('<script>alert(1)</script>'), { error: 'chart.png is not really a PNG image: its contents do not match its name' }],
    ['binary disguised as text', 'notes.txt', bytes(0x41, 0x00, 0x42), { error: 'notes.txt is not really a text file: its contents do not match its name' }],
    ['invalid UTF-8 as CSV', 'data.csv', bytes(0xff, 0xfe, 0x41), { error: 'data.csv is not really a CSV file: its contents do not match its name' }],
    ['an executable', 'tool.exe', bytes(0x4d, 0x5a), { error: 'The file must be a PDF, PNG image, JPEG image, Word document, Excel workbook, PowerPoint presentation, text file, CSV file (.pdf, .png, .jpg, .jpeg, .docx, .xlsx, .pptx, .txt, .md, .csv)' }],
    ['no extension', 'README', text('hello'), { error: 'The file must be a PDF, PNG image, JPEG image, Word document, Excel workbook, PowerPoint presentation, text file, CSV file (.pdf, .png, .jpg, .jpeg, .docx, .xlsx, .pptx, .txt, .md, .csv)' }],
    ['empty', 'empty.txt', new Uint8Array(0), { error: 'The file is empty' }],
  ])('%s', (_, name, content, expected) => {
    expect(checkUpload(name, content)).toEqual(expected);
  });

  it('refuses a file over the limit, or one the upload cut short at the limit', () => {
    expect(checkUpload('big.txt', new Uint8Array(MAX_UPLOAD_BYTES + 1).fill(65))).toEqual({ error: 'The file must be 5 MB or smaller' });
    expect(checkUpload('big.txt', new Uint8Array(10).fill(65), true)).toEqual({ error: 'The file must be 5 MB or smaller' });
    expect(checkUpload('ok.txt', new Uint8Array(MAX_UPLOAD_BYTES).fill(65))).toEqual({ contentType: 'text/plain; charset=utf-8' });
  });
});
