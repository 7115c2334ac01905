import fc from 'fast-check';
import { isMailbox } from './mailbox';
import { nameHasLink } from './names';

describe('one mailbox', () => {
  it.each([
    'amina@community.example',
    'a.b+grants@mail.example.org',
    "o'neill@example.co.uk",
    'x_y-z@sub-domain.example',
  ])('accepts %s', (a) => expect(isMailbox(a)).toBe(true));

  it.each([
    'a@b.c,x',
    'a@b.co,x@evil.example',
    'a@b.co;x@evil.example',
    'Amina <amina@community.example>',
    '"amina"@community.example',
    'amina(comment)@community.example',
    'amina@community.example (Amina)',
    ' amina@community.example',
    'ami na@community.example',
    'amina@community.example\n',
    'amina@@community.example',
    'amina@community',
    'amina@community.c',
    'amina@-community.example',
    'amina@community..example',
    '.amina@community.example',
    'amina.@community.example',
    'amina@[127.0.0.1]',
    'amina@community.example.123',
    '',
    `${'a'.repeat(65)}@example.org`,
  ])('refuses %j', (a) => expect(isMailbox(a)).toBe(false));

  it('never accepts an address holding a separator, bracket, quote or whitespace', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.constantFrom(',', ';', '<', '>', '"', '(', ')', ' ', '\t', '\r', '\n', '\\', '[', ']', ':'),
        fc.string(),
        (before, bad, after) => !isMailbox(`${before}${bad}${after}@example.org`) && !isMailbox(`a@ex${bad}ample.org`),
      ),
    );
  });

  it('accepts every address made of dot-atoms at a letters-only top level', () => {
    const atom = fc.stringMatching(/^[a-z0-9_+-]{1,10}$/);
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
    fc.assert(
      fc.property(
        fc.array(atom, { minLength: 1, maxLength: 3 }),
        fc.array(label, { minLength: 1, maxLength: 3 }),
        fc.stringMatching(/^[a-z]{2,6}$/),
        (local, labels, top) => isMailbox(`${local.join('.')}@${[...labels, top].join('.')}`),
      ),
    );
  });
});

describe('names without links', () => {
  it.each([
    'Amina Yusuf',
    "St. Mary's Women's Group",
    'J.R. Smith',
    'Saheli Ltd.',
    'Women’s Aid (Cleveland) 2.0',
    'Zoë O’Brien-Nwosu',
    'Open Data: North East',
  ])('accepts %j', (n) => expect(nameHasLink(n)).toBe(false));

  it.each([
    'http://evil.example',
    'Click https://x',
    'www.evil',
    'WWW.EVIL.COM group',
    'visit evil.example now',
    'bit.ly/abc',
    'Amina (amina@evil.example)',
    'mailto:someone',
    'ftp://files',
    'Group evil.co.uk',
  ])('refuses %j', (n) => expect(nameHasLink(n)).toBe(true));

  it('refuses any name with a domain-like word in it', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.stringMatching(/^[a-z0-9]{1,10}$/),
        fc.stringMatching(/^[a-z]{2,6}$/),
        fc.string(),
        (before, host, top, after) => nameHasLink(`${before} ${host}.${top} ${after}`),
      ),
    );
  });
});
