// Leader election on a Lease in the emulated API server: one leader among candidates, handover
// on a graceful stop (released lease) and after a crash (expiry), and stepping down when the
// lease is lost. Durations are shortened; the tests poll for states, never for times.
import { LeaderElector, type Lease, type LeaderElectorOptions } from './leader.js';
import { LEASES } from './resources.js';
import { eventually, startTestCluster, type TestCluster } from './test-support/cluster.js';

let cluster: TestCluster;
let ns: string;
const electors: LeaderElector[] = [];

beforeAll(async () => {
  cluster = await startTestCluster();
  ns = await cluster.namespace('leader');
});
afterEach(async () => {
  await Promise.all(electors.splice(0).map(e => e.stop()));
});
afterAll(() => cluster.stop());

interface Candidate {
  elector: LeaderElector;
  log: string[];
  signals: AbortSignal[];
  leading(): boolean;
}

function candidate(
  identity: string,
  lease: string,
  options: Partial<LeaderElectorOptions> = {},
): Candidate {
  const elector = new LeaderElector({
    writer: cluster.writer,
    name: lease,
    namespace: ns,
    identity,
    leaseDurationMs: 600,
    renewDeadlineMs: 400,
    retryPeriodMs: 50,
    ...options,
  });
  electors.push(elector);
  const log: string[] = [];
  const signals: AbortSignal[] = [];
  let leading = false;
  void elector.run({
    onStartedLeading: signal => {
      leading = true;
      signals.push(signal);
      log.push('started');
    },
    onStoppedLeading: () => {
      leading = false;
      log.push('stopped');
    },
  });
  return { elector, log, signals, leading: () => leading };
}

const readLease = (name: string) => cluster.writer.read<Lease>(LEASES, ns, name);

describe('LeaderElector', () => {
  it('lets exactly one of two candidates lead, and records it in the Lease', async () => {
    const a = candidate('a', 'one-leader');
    const b = candidate('b', 'one-leader');
    const leader = await eventually(
      () => (a.leading() ? a : b.leading() ? b : undefined),
      'a leader',
    );
    const follower = leader === a ? b : a;
    // Several retry periods later, still exactly one leader.
    const lease = await readLease('one-leader');
    const renewed = lease?.spec?.renewTime;
    await eventually(
      async () => (await readLease('one-leader'))?.spec?.renewTime !== renewed,
      'the leader to renew',
    );
    expect(follower.leading()).toBe(false);
    expect(leader.leading()).toBe(true);
    expect(follower.log).toEqual([]);
    expect((await readLease('one-leader'))?.spec).toMatchObject({
      holderIdentity: leader === a ? 'a' : 'b',
      leaseDurationSeconds: 1,
      leaseTransitions: 0,
      acquireTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
    });
    expect(leader.elector.isLeader).toBe(true);
    expect(follower.elector.isLeader).toBe(false);
  });

  it('hands over at once when the leader stops (the lease is released)', async () => {
    const a = candidate('a', 'graceful');
    await eventually(() => a.leading(), 'a to lead');
    const b = candidate('b', 'graceful', { leaseDurationMs: 60_000, renewDeadlineMs: 40_000 });
    await a.elector.stop();
    expect(a.log).toEqual(['started', 'stopped']);
    expect(a.signals[0]?.aborted).toBe(true);
    // b's own lease duration is a minute: it can only lead this soon because a released it.
    await eventually(() => b.leading(), 'b to take over');
    expect((await readLease('graceful'))?.spec).toMatchObject({
      holderIdentity: 'b',
      leaseTransitions: 0, // a released it: taking a free lease is not a transition
    });
  });

  it('takes over after the lease expires when the leader vanishes without releasing it', async () => {
    const a = candidate('a', 'crash');
    await eventually(() => a.leading(), 'a to lead');
    const b = candidate('b', 'crash');
    await eventually(async () => (await readLease('crash'))?.spec?.holderIdentity === 'a', 'lease');
    await a.elector.stop({ release: false }); // a crash: the lease still names a
    expect((await readLease('crash'))?.spec?.holderIdentity).toBe('a');
    await eventually(() => b.leading(), 'b to take over after expiry');
    expect((await readLease('crash'))?.spec).toMatchObject({
      holderIdentity: 'b',
      leaseTransitions: 1,
    });
  });

  it('steps down when another holder takes the lease, and campaigns again', async () => {
    const a = candidate('a', 'stolen');
    await eventually(() => a.leading(), 'a to lead');
    // Another process overwrites the lease with a holder that keeps it fresh.
    const thief = setInterval(() => {
      void (async () => {
        const lease = await readLease('stolen');
        if (!lease) return;
        await cluster.writer
          .replace<Lease>(LEASES, {
            ...lease,
            spec: { ...lease.spec, holderIdentity: 'thief', renewTime: new Date().toISOString() },
          })
          .catch(() => undefined);
      })();
    }, 20);
    try {
      await eventually(() => !a.leading(), 'a to step down');
      expect(a.log).toEqual(['started', 'stopped']);
      expect(a.signals[0]?.aborted).toBe(true);
    } finally {
      clearInterval(thief);
    }
    await eventually(() => a.leading(), 'a to lead again once the thief stops renewing');
    expect(a.log).toEqual(['started', 'stopped', 'started']);
  });

  it('steps down when it cannot renew within the renew deadline', async () => {
    let failing = false;
    const writer = {
      ...cluster.writer,
      read: <T>(...args: Parameters<typeof cluster.writer.read>) =>
        failing
          ? Promise.reject(new Error('API server unreachable'))
          : (cluster.writer.read(...args) as Promise<T | undefined>),
    };
    const a = candidate('a', 'partitioned', { writer });
    await eventually(() => a.leading(), 'a to lead');
    failing = true;
    await eventually(() => !a.leading(), 'a to give up leadership');
    failing = false;
    await eventually(() => a.leading(), 'a to lead again');
  });

  it('rejects a renew deadline that is not shorter than the lease duration', () => {
    expect(
      () =>
        new LeaderElector({
          writer: cluster.writer,
          name: 'x',
          namespace: ns,
          identity: 'a',
          leaseDurationMs: 1000,
          renewDeadlineMs: 1000,
        }),
    ).toThrow(/renewDeadline/);
  });
});
