import { DOCX, ODT, storedZip } from '../../../../test/support/zip';
import { detectDocumentType } from './document-type';

describe('detectDocumentType: by content, never by name', () => {
  it('recognises PDF, DOCX and ODT', () => {
    expect(detectDocumentType(Buffer.from('%PDF-1.7\n...'))?.kind).toBe('pdf');
    expect(detectDocumentType(DOCX())?.kind).toBe('docx');
    expect(detectDocumentType(ODT())?.kind).toBe('odt');
  });

  it('refuses other ZIPs, other OpenDocument types, text, images and truncated archives', () => {
    expect(detectDocumentType(storedZip([['readme.txt', 'hello']]))).toBeNull();
    expect(detectDocumentType(storedZip([['word/document.xml', '<x/>']]))).toBeNull(); // no content types: not a real DOCX
    expect(
      detectDocumentType(
        storedZip([
          ['mimetype', 'application/vnd.oasis.opendocument.spreadsheet'],
          ['content.xml', '<x/>'],
        ]),
      ),
    ).toBeNull();
    expect(
      detectDocumentType(
        storedZip([
          ['mimetype', 'application/vnd.oasis.opendocument.text-template'],
          ['content.xml', '<x/>'],
        ]),
      ),
    ).toBeNull();
    expect(detectDocumentType(Buffer.from('just text, called policy.pdf'))).toBeNull();
    expect(detectDocumentType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBeNull();
    expect(detectDocumentType(DOCX().subarray(0, 60))).toBeNull();
    expect(detectDocumentType(new Uint8Array(0))).toBeNull();
  });
});
