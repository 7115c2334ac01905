import { EvidenceFigures, mapCounts } from './evidence-figures';

/** Counts below this are never shown to a funder viewer: they read "fewer than 5". */
export const SUPPRESSION_THRESHOLD = 5;

/**
 * A count a funder viewer may not see. `fewer_than_5`: the count is 0 to 4. `withheld`: the count
 * is 5 or more but is hidden as well, because with the total it would reveal a smaller count.
 * It carries no number, so nothing downstream (JSON, pages) can show one.
 */
export interface Suppressed {
  suppressed: true;
  reason: 'fewer_than_5' | 'withheld';
}

/** A count as a funder viewer sees it. */
export type Shown = number | Suppressed;

export function isSuppressed(c: Shown): c is Suppressed {
  return typeof c === 'object' && c !== null && c.suppressed === true;
}

/** A linear relation between cells: `cells` add up to `total` (all indices into the same list of values). */
export interface SumLine {
  cells: readonly number[];
  total: number;
}

export type CellState = 'shown' | 'fewer_than_5' | 'withheld';

/**
 * Small-count suppression with the obvious secondary (complementary) suppression.
 *
 * Primary: every count below the threshold (0 to 4) is hidden.
 *
 * Secondary: a shown total minus the shown cells of a line reveals the sum of that line's hidden
 * cells. So, on every line whose total is shown, the hidden cells must be none, or at least two
 * whose sum reaches the threshold; otherwise the smallest shown cell of the line is withheld too
 * (a single hidden cell would be revealed exactly; two zeros, or a 1 and a 2, would be revealed as
 * "these add up to 0 / 3"). The other way round, a hidden total whose cells are all shown is their
 * sum, so the smallest cell is withheld. Withholding a cell can break another line it is on, so
 * this repeats until no line changes; it ends because cells are only ever hidden.
 *
 * This is the standard heuristic, not an exhaustive audit: it protects every line given to it
 * (tables against their totals, areas against the fund, VDAs against their areas), but it does not
 * solve for what a reader could infer by combining several lines at once.
 */
export function suppressCells(
  values: readonly number[],
  lines: readonly SumLine[],
  threshold = SUPPRESSION_THRESHOLD,
): CellState[] {
  const state: CellState[] = values.map((v) => (v < threshold ? 'fewer_than_5' : 'shown'));
  const smallestShown = (cells: readonly number[]) =>
    cells.filter((c) => state[c] === 'shown').sort((a, b) => values[a] - values[b] || a - b)[0];
  for (let changed = true; changed;) {
    changed = false;
    for (const line of lines) {
      // A line whose cells do not add up to its total (a report whose table disagrees with its people count) reveals nothing by subtraction.
      const addsUp = line.cells.reduce((sum, c) => sum + values[c], 0) === values[line.total];
      let hide: number | undefined;
      if (state[line.total] !== 'shown') {
        if (addsUp && line.cells.length > 0 && line.cells.every((c) => state[c] === 'shown'))
          hide = smallestShown(line.cells);
      } else {
        const hidden = line.cells.filter((c) => state[c] !== 'shown');
        if (hidden.length === 0 || (hidden.length >= 2 && hidden.reduce((sum, c) => sum + values[c], 0) >= threshold))
          continue;
        // Every cell hidden and still revealing (one cell, or a sum under the threshold): hide the total as well.
        hide = smallestShown(line.cells) ?? (addsUp ? line.total : undefined);
      }
      if (hide === undefined) continue;
      state[hide] = 'withheld';
      changed = true;
    }
  }
  return state;
}

function shown(value: number, state: CellState): Shown {
  return state === 'shown' ? value : { suppressed: true, reason: state };
}

export interface EvidenceForSuppression {
  /** The whole fund (or whatever the parts make up). */
  whole: EvidenceFigures<number>;
  /** Disjoint parts that add up to the whole, count by count (the fund's areas). */
  parts: readonly EvidenceFigures<number>[];
  /** Groups of parts, each adding up to the sum of its parts (a VDA's areas). */
  groups: readonly { figures: EvidenceFigures<number>; parts: readonly number[] }[];
}

export interface SuppressedEvidence {
  whole: EvidenceFigures<Shown>;
  parts: EvidenceFigures<Shown>[];
  groups: EvidenceFigures<Shown>[];
}

/**
 * The evidence as a funder viewer may see it: every count of the whole, of each part and of each
 * group suppressed together, so that no figure shown anywhere (the fund, one area, one VDA)
 * combines with another to reveal a count under 5. The lines protected are: each characteristic
 * table against people supported; referrals out and in against their totals; and every count of
 * the whole against the same count in the parts, and of each group against its parts. (Outcomes
 * have no total to subtract from: one person may achieve several.)
 *
 * Throws if the parts do not add up to the whole, or a group to its parts: that is a caller's bug,
 * and suppressing against false totals would protect nothing.
 */
export function suppressEvidence(e: EvidenceForSuppression, threshold = SUPPRESSION_THRESHOLD): SuppressedEvidence {
  const values: number[] = [];
  const index = (f: EvidenceFigures<number>): Map<string, number> => {
    const at = new Map<string, number>();
    mapCounts(f, (v, path) => {
      at.set(path, values.length);
      values.push(v);
    });
    return at;
  };
  const whole = index(e.whole);
  const parts = e.parts.map(index);
  const groups = e.groups.map((g) => index(g.figures));
  const paths = [...whole.keys()];
  for (const m of [...parts, ...groups]) {
    if (m.size !== whole.size || paths.some((p) => !m.has(p)))
      throw new Error('evidence parts must share the whole’s layout');
  }

  const lines: SumLine[] = [];
  const add = (line: SumLine, mustAddUp: boolean) => {
    if (mustAddUp && line.cells.reduce((s, c) => s + values[c], 0) !== values[line.total])
      throw new Error('evidence parts do not add up to their total');
    lines.push(line);
  };
  for (const [m, f] of [
    [whole, e.whole],
    ...e.parts.map((f, i) => [parts[i], f] as const),
    ...e.groups.map((g, i) => [groups[i], g.figures] as const),
  ] as const) {
    for (const t of f.characteristics)
      add(
        { cells: t.rows.map((r) => m.get(`characteristics.${t.id}.${r.value}`)!), total: m.get('peopleSupported')! },
        false,
      );
    for (const dir of ['out', 'in'] as const) {
      add(
        {
          cells: f.referrals.rows.map((r) => m.get(`referrals.${dir}.${r.value}`)!),
          total: m.get(dir === 'out' ? 'referrals.totalOut' : 'referrals.totalIn')!,
        },
        true,
      );
    }
  }
  for (const p of paths) {
    if (parts.length > 0) add({ cells: parts.map((m) => m.get(p)!), total: whole.get(p)! }, true);
    e.groups.forEach((g, i) => add({ cells: g.parts.map((k) => parts[k].get(p)!), total: groups[i].get(p)! }, true));
  }

  const state = suppressCells(values, lines, threshold);
  const rebuild = (f: EvidenceFigures<number>, m: Map<string, number>) =>
    mapCounts(f, (v, path) => shown(v, state[m.get(path)!]));
  return {
    whole: rebuild(e.whole, whole),
    parts: e.parts.map((f, i) => rebuild(f, parts[i])),
    groups: e.groups.map((g, i) => rebuild(g.figures, groups[i])),
  };
}
