import { types } from 'pg';

/**
 * The one place where PostgreSQL's bigint (sent as text) becomes a JavaScript number. Amounts are
 * pence and ids are sequence values, far below 2^53; anything larger is a fault, not a rounding.
 * Note that sum() over bigint is numeric: cast sums with ::bigint so they arrive through here too.
 */
export function parseBigint(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`bigint ${text} is outside the safe integer range`);
  return value;
}

types.setTypeParser(types.builtins.INT8, parseBigint);
