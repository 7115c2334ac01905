/**
 * People's and organisations' names reach other people: in emails, on officers' screens. A name
 * that carries a web or email address turns the service into a way of sending someone a link in
 * our name, so names refuse anything that looks like one: a scheme (`http://`, `mailto:`), `www.`,
 * an `@`, or a domain-like word (`example.org`, `bit.ly/x`). A dot followed by a space or the end
 * ("St. Mary's", "Ltd.") and initials ("J.R. Smith") are fine.
 */
const SCHEME = /\b[a-z][a-z0-9+.-]*:\/\/|\bmailto:/i;
const WWW = /\bwww\d*\./i;
const DOMAIN_LIKE = /[a-z0-9-]+\.[a-z][a-z0-9-]*[a-z0-9](?=$|[^a-z0-9-])/i;

export const NAME_LINK_MESSAGE = 'A name cannot contain a web or email address';

export function nameHasLink(name: string): boolean {
  return SCHEME.test(name) || WWW.test(name) || name.includes('@') || DOMAIN_LIKE.test(name);
}
