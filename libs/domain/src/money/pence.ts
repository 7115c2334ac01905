/**
 * Money is integer pence end to end (docs/domain.md §4). A JavaScript number holds any integer up to
 * 2^53 exactly (£90 trillion), so pence travel as `number` and are checked to be safe integers;
 * the one place where PostgreSQL's bigint text becomes a number is the persistence transformer.
 */
export type Pence = number;

export function isPence(value: unknown): value is Pence {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

export function isPositivePence(value: unknown): value is Pence {
  return isPence(value) && value > 0;
}

/** "£5,000.00" for people; never parsed back. */
export function formatPounds(pence: Pence): string {
  const sign = pence < 0 ? '-' : '';
  const abs = Math.abs(pence);
  const pounds = Math.floor(abs / 100).toLocaleString('en-GB');
  const rest = String(abs % 100).padStart(2, '0');
  return `${sign}£${pounds}.${rest}`;
}

/** Basis points of an amount, rounded down to the penny (never over-charge a fee). */
export function basisPointsOf(amount: Pence, basisPoints: number): Pence {
  return Math.floor((amount * basisPoints) / 10_000);
}

/**
 * Pence as pounds with exactly two decimals for files other systems read ("4500.00", "-0.05"):
 * integer arithmetic, so no amount passes through a float on its way out.
 */
export function poundsWithPence(pence: Pence): string {
  const sign = pence < 0 ? '-' : '';
  const abs = Math.abs(pence);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
