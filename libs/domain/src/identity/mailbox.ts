/**
 * One mailbox, as a person types their own address: a single addr-spec (`local@domain`), with no
 * display name, comment, quoted local part, list, comma, angle bracket or whitespace; a domain of
 * letters, digits and hyphens with a top-level name of letters. Stricter than RFC 5322 on purpose:
 * every address the service accepts is one it will send to, and a mail library must never read
 * it as two (`a@b.c,x@evil.example`) or as a name with an address in it.
 */
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const TOP_LEVEL = /^[A-Za-z]{2,63}$/;

export const MAILBOX_MESSAGE = 'Enter an email address in the correct format, like name@example.org';

export function isMailbox(address: string): boolean {
  if (address.length > 254) return false;
  const at = address.indexOf('@');
  if (at < 1 || at !== address.lastIndexOf('@')) return false;
  const local = address.slice(0, at);
  const labels = address.slice(at + 1).split('.');
  return (
    local.length <= 64 &&
    LOCAL.test(local) &&
    labels.length >= 2 &&
    labels.every((l) => LABEL.test(l)) &&
    TOP_LEVEL.test(labels[labels.length - 1])
  );
}
