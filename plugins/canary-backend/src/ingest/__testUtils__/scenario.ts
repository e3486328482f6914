// Drives a FakeController through the phases of a rollout the way the real controller reports
// them, with checks and Events accumulating in the detail, and times relative to the test's start.
import type { FakeCanary, FakeController } from '../../__testUtils__/fakeController';

export class CanaryScript {
  private checks: unknown[] = [];
  private events: unknown[] = [];
  private offset = 0;

  constructor(
    private readonly fake: FakeController,
    readonly namespace: string,
    readonly name: string,
    private readonly base: number = Date.now(),
  ) {}

  private at(seconds: number): string {
    return new Date(this.base + seconds * 1000).toISOString();
  }

  private whole(seconds: number): string {
    return this.at(seconds).replace(/\.\d{3}Z$/, 'Z');
  }

  /** The first deploy: Initialized, no rollout. */
  initialized(revision: string, image: string): void {
    this.set({
      phase: 'Initialized',
      revision,
      promotedRevision: revision,
      images: { canary: [image], primary: [image] },
    });
  }

  /** A step of an analysis: the canary's state at `seconds` after the start of the test. */
  step(
    seconds: number,
    canary: Partial<FakeCanary> & { phase: string },
    extra: { check?: boolean; event?: string } = {},
  ): void {
    this.offset = seconds;
    if (extra.check) {
      this.checks.push(
        {
          time: this.at(seconds),
          metric: 'request-success-rate',
          value: 100,
          outcome: 'value',
          thresholdRange: { min: 99 },
          verdict: 'pass',
        },
        {
          time: this.at(seconds),
          metric: 'request-duration',
          value: 4,
          outcome: 'value',
          thresholdRange: { max: 500 },
          verdict: 'pass',
        },
      );
    }
    if (extra.event) {
      this.events.unshift({
        type: 'Normal',
        reason: 'Synced',
        message: extra.event,
        count: 1,
        firstTimestamp: this.whole(seconds),
        lastTimestamp: this.whole(seconds),
      });
    }
    this.set({ lastTransitionTime: this.whole(seconds), ...canary });
  }

  /** A new revision: the controller clears its checks when an analysis starts. */
  release(
    seconds: number,
    revision: string,
    from: string,
    images: { canary: string[]; primary: string[] },
  ): void {
    this.checks = [];
    this.step(
      seconds,
      {
        phase: 'Progressing',
        revision,
        promotedRevision: from,
        weight: 0,
        images,
        message: 'New revision detected, progressing canary analysis.',
      },
      { event: `New revision detected! Scaling up ${this.name}.${this.namespace}` },
    );
  }

  /** A whole promotion of `revision`: Progressing 25 → 50 → Promoting → Finalising → Succeeded. */
  promote(
    revision: string,
    from: string,
    images: { canary: string[]; primary: string[] },
    start = this.offset + 1,
  ): void {
    this.release(start, revision, from, images);
    const common = { revision, promotedRevision: from, images };
    this.step(
      start + 10,
      { ...common, phase: 'Progressing', weight: 25 },
      { event: `Advance ${this.name}.${this.namespace} canary weight 25` },
    );
    this.step(
      start + 20,
      { ...common, phase: 'Progressing', weight: 50 },
      { check: true, event: `Advance ${this.name}.${this.namespace} canary weight 50` },
    );
    this.step(
      start + 30,
      { ...common, phase: 'Promoting', weight: 50 },
      { check: true, event: `Copying ${this.name}.${this.namespace} template spec` },
    );
    this.step(
      start + 40,
      { ...common, phase: 'Finalising', weight: 0 },
      { event: 'Routing all traffic to primary' },
    );
    this.step(
      start + 50,
      {
        ...common,
        promotedRevision: revision,
        phase: 'Succeeded',
        weight: 0,
        message: 'Canary analysis completed successfully, promotion finished.',
      },
      { event: `Promotion completed! Scaling down ${this.name}.${this.namespace}` },
    );
  }

  get checkCount(): number {
    return this.checks.length;
  }

  get eventCount(): number {
    return this.events.length;
  }

  private set(canary: Partial<FakeCanary> & { phase: string }): void {
    this.fake.set({
      namespace: this.namespace,
      name: this.name,
      ...canary,
      checks: [...this.checks],
      events: [...this.events],
    });
  }
}
