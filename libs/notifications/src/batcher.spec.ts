import { Batcher } from './batcher';

/** A statement that answers when told to: each run's items, and its answer to let it finish. */
function controlledRun() {
  const runs: { items: number[]; finish: (err?: Error) => void }[] = [];
  const run = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      runs.push({ items, finish: (err) => (err ? reject(err) : resolve(items.map((i) => `r${i}`))) });
    });
  return { runs, run };
}

/** Lets the batcher take its next batch (it waits a turn of the event loop before each). */
const tick = async () => {
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
};

describe('Batcher (the claims and sent marks of concurrent emails share statements)', () => {
  it('runs a call made while idle straight away, alone: an idle worker adds no wait', async () => {
    const { runs, run } = controlledRun();
    const b = new Batcher(run);
    const p = b.submit(1);
    await tick();
    expect(runs.map((r) => r.items)).toEqual([[1]]);
    runs[0].finish();
    await expect(p).resolves.toBe('r1');
  });

  it('sends the calls made while a statement runs together in the next one, each caller getting its own result', async () => {
    const { runs, run } = controlledRun();
    const b = new Batcher(run);
    const first = b.submit(1);
    await tick();
    const later = [b.submit(2), b.submit(3), b.submit(4)];
    expect(runs).toHaveLength(1);
    runs[0].finish();
    await first;
    await tick();
    expect(runs.map((r) => r.items)).toEqual([[1], [2, 3, 4]]);
    runs[1].finish();
    await expect(Promise.all(later)).resolves.toEqual(['r2', 'r3', 'r4']);
    // Idle again: the next call starts straight away.
    void b.submit(5);
    await tick();
    expect(runs.map((r) => r.items)).toEqual([[1], [2, 3, 4], [5]]);
    runs[2].finish();
  });

  it('sends calls made in the same turn together, even when idle', async () => {
    const { runs, run } = controlledRun();
    const b = new Batcher(run);
    const all = [b.submit(1), b.submit(2)];
    await tick();
    expect(runs.map((r) => r.items)).toEqual([[1, 2]]);
    runs[0].finish();
    await expect(Promise.all(all)).resolves.toEqual(['r1', 'r2']);
  });

  it('fails only the callers of the statement that failed; the next batch still runs', async () => {
    const { runs, run } = controlledRun();
    const b = new Batcher(run);
    const first = b.submit(1);
    await tick();
    const second = b.submit(2);
    runs[0].finish(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await tick();
    expect(runs.map((r) => r.items)).toEqual([[1], [2]]);
    runs[1].finish();
    await expect(second).resolves.toBe('r2');
  });

  it('never puts more than maxBatch items in one statement', async () => {
    const { runs, run } = controlledRun();
    const b = new Batcher(run, 2);
    const all = [1, 2, 3, 4, 5].map((i) => b.submit(i));
    for (let i = 0; i < 3; i++) {
      await tick();
      runs[i].finish();
    }
    await expect(Promise.all(all)).resolves.toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    expect(runs.map((r) => r.items)).toEqual([[1, 2], [3, 4], [5]]);
  });
});
