import { ElasticWorkers } from './elastic-workers';

/** A queue of `due` items claimed `batchSize` at a time; a claim sees what was due when it began and takes 5 ms. */
function queue(due: number, batchSize: number, concurrency: number) {
  const state = { due, claims: 0, running: true, busy: 0, mostBusy: 0 };
  const workers = new ElasticWorkers({
    batch: async () => {
      state.claims += 1;
      state.busy += 1;
      state.mostBusy = Math.max(state.mostBusy, state.busy);
      const claimed = Math.min(batchSize, state.due);
      state.due -= claimed;
      await new Promise((done) => setTimeout(done, 5));
      state.busy -= 1;
      return claimed;
    },
    batchSize: () => batchSize,
    concurrency: () => concurrency,
    running: () => state.running,
    onError: () => undefined,
  });
  return { state, workers };
}

describe('ElasticWorkers', () => {
  it('serves a trickle with one worker and leaves once a claim comes back empty', async () => {
    const { state, workers } = queue(3, 10, 4);
    await workers.wake();
    expect(state.due).toBe(0);
    expect(state.mostBusy).toBe(1);
    expect(state.claims).toBe(2);
    expect(workers.size).toBe(0);
  });

  it('adds workers while claims come back full, never more than the concurrency', async () => {
    const { state, workers } = queue(200, 10, 3);
    await workers.wake();
    expect(state.due).toBe(0);
    expect(state.mostBusy).toBe(3);
    expect(workers.size).toBe(0);
  });

  it('claims again for a wake-up that arrived while the last (empty) claim was under way', async () => {
    const { state, workers } = queue(1, 10, 1);
    const drained = workers.wake();
    // The first claim takes the item (0-5 ms), the second finds nothing (5-10 ms): this wake-up comes during it.
    await new Promise((done) => setTimeout(done, 7));
    state.due += 1;
    void workers.wake();
    await drained;
    expect(state.due).toBe(0);
  });

  it('stops claiming once stopped, and a wake-up then starts nothing', async () => {
    const { state, workers } = queue(1000, 10, 2);
    const drained = workers.wake();
    state.running = false;
    await drained;
    const claims = state.claims;
    await workers.wake();
    expect(state.claims).toBe(claims);
    expect(state.due).toBeGreaterThan(0);
  });

  it('lets a worker leave on an error and reports it; the next wake-up claims again', async () => {
    const errors: string[] = [];
    let fail = true;
    let claims = 0;
    const workers = new ElasticWorkers({
      batch: async () => {
        claims += 1;
        if (fail) throw new Error('database away');
        return 0;
      },
      batchSize: () => 10,
      concurrency: () => 2,
      running: () => true,
      onError: (error) => errors.push(error.message),
    });
    await workers.wake();
    fail = false;
    await workers.wake();
    expect(errors).toEqual(['database away']);
    expect(claims).toBe(2);
  });
});
