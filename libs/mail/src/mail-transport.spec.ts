import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { folderTransport, fromAddress } from './mail-transport';

describe('addresses handed to nodemailer', () => {
  it('reads MAIL_FROM as a name and one address', () => {
    expect(fromAddress('Small Grants <grants@example.org>')).toEqual({
      name: 'Small Grants',
      address: 'grants@example.org',
    });
    expect(fromAddress('"Small Grants" <grants@example.org>')).toEqual({
      name: 'Small Grants',
      address: 'grants@example.org',
    });
    expect(fromAddress(' grants@example.org ')).toEqual({ name: '', address: 'grants@example.org' });
  });

  it('sends to exactly one mailbox, even when the text of an address holds a list or a name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-mail-spec-'));
    const transport = folderTransport(dir, 'Small Grants <grants@example.org>');
    for (const to of ['amina@community.example', 'a@b.co,x@evil.example', 'Evil <x@evil.example>'])
      await transport.send({ to, subject: 'Hello', html: '<p>Hi</p>', text: 'Hi', messageId: `<${to.length}@test>` });
    transport.close();
    const headers = readdirSync(dir)
      .sort()
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .map((eml) => ({ to: /^To: (.*)$/m.exec(eml)![1], from: /^From: (.*)$/m.exec(eml)![1] }));
    expect(headers.map((h) => h.from)).toEqual(Array(3).fill('Small Grants <grants@example.org>'));
    expect(headers[0].to).toBe('amina@community.example');
    // A string would have become two recipients; an object stays one (undeliverable) mailbox.
    for (const h of headers.slice(1)) expect(h.to.split(',').length === 1 || h.to.startsWith('<"')).toBe(true);
    expect(headers[1].to).not.toBe('a@b.co, x@evil.example');
  });
});
