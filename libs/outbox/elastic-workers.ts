/** What an elastic pool runs: one claimed batch at a time per worker. */
export interface ElasticWorkersOptions {
  /** Claims and handles one batch; resolves to how many items it claimed (0: nothing was due). */
  batch(): Promise<number>;
  /** A claim this full means a backlog: another worker joins. */
  batchSize(): number;
  /** Workers at most. */
  concurrency(): number;
  /** False once stopping: workers finish their batch and leave. */
  running(): boolean;
  /** A batch threw (the database went away): that worker leaves, the next wake-up tries again. */
  onError(error: Error): void;
}

/**
 * Claim loops that grow with the backlog: one worker serves the steady state (no competing claims); while claims
 * come back full, more join, up to the concurrency, and each leaves when its claim comes back empty. Used by the
 * outbox relay and by the relay workers that drain queues of their own (webhook deliveries).
 */
export class ElasticWorkers {
  private workers = 0;
  private wakeAgain = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: ElasticWorkersOptions) {}

  /** Workers running now. */
  get size(): number {
    return this.workers;
  }

  /** Something became due: claim again (a worker if none runs). Resolves when every worker has left. */
  wake(): Promise<void> {
    if (!this.options.running()) return this.whenIdle();
    this.wakeAgain = true;
    if (this.workers === 0) this.addWorker();
    return this.whenIdle();
  }

  whenIdle(): Promise<void> {
    return this.workers === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private addWorker(): void {
    this.workers += 1;
    void this.work().finally(() => {
      this.workers -= 1;
      if (this.workers === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
    });
  }

  /** Claims until a claim comes back empty, and again while wake-ups arrived meanwhile. */
  private async work(): Promise<void> {
    const o = this.options;
    do {
      this.wakeAgain = false;
      try {
        for (let claimed = await o.batch(); o.running() && claimed > 0; claimed = await o.batch()) {
          if (claimed >= o.batchSize() && this.workers < o.concurrency()) this.addWorker();
        }
      } catch (error) {
        o.onError(error as Error);
        return;
      }
    } while (o.running() && this.wakeAgain);
  }
}
