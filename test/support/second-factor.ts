import { crypto } from '@otplib/plugin-crypto-node';
import { generate } from '@otplib/totp';
import { base32 } from '@scure/base';

/** The key an enrolment page shows as text (groups of four), as the bytes an authenticator app keeps. */
export function secretFromText(shown: string): Uint8Array {
  const s = shown.replace(/\s/g, '').toUpperCase();
  return base32.decode(s.padEnd(Math.ceil(s.length / 8) * 8, '='));
}

/** The key from an enrolment page's HTML. */
export function secretFromPage(html: string): Uint8Array {
  const shown = /<code id="secret">([A-Z2-7 ]+)<\/code>/.exec(html)?.[1];
  if (!shown) throw new Error('no secret on the page');
  return secretFromText(shown);
}

/** What an authenticator app shows at `ms` (default now): the code a person types. */
export function authenticatorCode(secret: Uint8Array, ms = Date.now()): Promise<string> {
  return generate({ secret, crypto, epoch: Math.floor(ms / 1000) });
}
