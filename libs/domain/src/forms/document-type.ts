/**
 * What a file is, judged by its bytes, never by its name or the browser's claim. Accepted: PDF,
 * Word (DOCX) and OpenDocument text (ODT). DOCX and ODT are ZIP archives: an ODT names its type in
 * a first, uncompressed `mimetype` entry; a DOCX has a `word/document.xml` entry, found through
 * the ZIP's central directory (the entry names are stored uncompressed).
 */
export type DocumentType = { kind: 'pdf' | 'docx' | 'odt'; contentType: string; extension: string };

const PDF: DocumentType = { kind: 'pdf', contentType: 'application/pdf', extension: 'pdf' };
const DOCX: DocumentType = {
  kind: 'docx',
  contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  extension: 'docx',
};
const ODT: DocumentType = { kind: 'odt', contentType: 'application/vnd.oasis.opendocument.text', extension: 'odt' };

export function detectDocumentType(bytes: Uint8Array): DocumentType | null {
  if (startsWith(bytes, 0, '%PDF-')) return PDF;
  if (!startsWith(bytes, 0, 'PK\u0003\u0004')) return null;
  if (startsWith(bytes, 30, 'mimetype') && startsWith(bytes, 38, 'application/vnd.oasis.opendocument.text')) {
    // 'application/vnd.oasis.opendocument.text-template' and friends are not documents we accept.
    return bytes[38 + 'application/vnd.oasis.opendocument.text'.length] === 0x50 /* next header 'P' */ ? ODT : null;
  }
  const names = zipEntryNames(bytes);
  return names.includes('word/document.xml') && names.includes('[Content_Types].xml') ? DOCX : null;
}

function startsWith(bytes: Uint8Array, offset: number, text: string): boolean {
  if (bytes.length < offset + text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[offset + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** Entry names from the ZIP central directory; [] if the archive is not well formed. */
function zipEntryNames(bytes: Uint8Array): string[] {
  const u16 = (o: number) => bytes[o] | (bytes[o + 1] << 8);
  const u32 = (o: number) => (bytes[o] | (bytes[o + 1] << 8) | (bytes[o + 2] << 16) | (bytes[o + 3] << 24)) >>> 0;
  // The end-of-central-directory record is in the last 22 + 65,535 bytes.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65_535); i--) {
    if (u32(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return [];
  const count = u16(eocd + 10);
  let p = u32(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < count && n < 10_000; n++) {
    if (p + 46 > bytes.length || u32(p) !== 0x02014b50) return [];
    const nameLength = u16(p + 28);
    const extra = u16(p + 30);
    const comment = u16(p + 32);
    if (p + 46 + nameLength > bytes.length) return [];
    names.push(String.fromCharCode(...bytes.subarray(p + 46, p + 46 + nameLength)));
    p += 46 + nameLength + extra + comment;
  }
  return names;
}
