// Crash safety (tick.ts): stop the executor after any prefix of any tick's actions, restart at
// once, and the run must end exactly as an uninterrupted one: same phases, the same weights in
// the same order (no step taken twice or skipped), the same revision promoted once.
import type { CanaryAnalysis } from '../api/types.js';
import { canary, deadlineExceeded, MINUTE } from './__fixtures__/builders.js';
import { initializedWorld, type World } from './__fixtures__/world.js';

interface Scenario {
  name: string;
  analysis?: Partial<CanaryAnalysis>;
  skipAnalysis?: boolean;
  /** Changes the world before tick `i` (0 = the detection tick). */
  before?: (world: World, i: number) => void;
}

interface Outcome {
  phases: string[];
  weights: string[];
  copied: string[];
  final: unknown;
}

const dedupe = (values: string[]) => values.filter((v, i) => i === 0 || v !== values[i - 1]);

function start(scenario: Scenario): World {
  const world = initializedWorld({
    canary: canary({
      ...(scenario.analysis ? { analysis: scenario.analysis } : {}),
      spec: { skipAnalysis: scenario.skipAnalysis ?? false },
    }),
  });
  world.release('rev-2');
  return world;
}

/** Tick once per interval until a terminal phase; `crash` cuts tick `at` after `keep` actions. */
function play(scenario: Scenario, crash?: { at: number; keep: number; times?: number }): Outcome {
  const world = start(scenario);
  const phases: string[] = [];
  const weights: string[] = [];
  for (let i = 0; i < 20; i++) {
    if (i > 0) world.now = world.now.plus({ milliseconds: MINUTE });
    scenario.before?.(world, i);
    if (crash && crash.at === i) {
      for (let n = 0; n < (crash.times ?? 1); n++) world.tick(crash.keep);
    }
    world.tick();
    phases.push(world.phase);
    weights.push(
      `${world.routes?.primaryWeight}/${world.routes?.canaryWeight}${world.routes?.mirrored ? 'm' : ''}`,
    );
    if (world.phase === 'Succeeded' || world.phase === 'Failed') break;
  }
  const copied = [
    ...new Set(world.effects.flatMap(e => (e.type === 'copyTargetToPrimary' ? [e.revision] : []))),
  ];
  return {
    phases: dedupe(phases),
    weights: dedupe(weights),
    copied,
    final: {
      phase: world.phase,
      routes: world.routes,
      targetReplicas: world.target.specReplicas,
      primaryRevision: world.primary?.revision,
      lastPromotedSpec: world.status.lastPromotedSpec,
    },
  };
}

/** How many actions each tick of the uninterrupted run has. */
function actionCounts(scenario: Scenario): number[] {
  const world = start(scenario);
  const counts: number[] = [];
  for (let i = 0; i < 20; i++) {
    if (i > 0) world.now = world.now.plus({ milliseconds: MINUTE });
    scenario.before?.(world, i);
    counts.push(world.tick().actions.length);
    if (world.phase === 'Succeeded' || world.phase === 'Failed') break;
  }
  return counts;
}

const scenarios: Scenario[] = [
  { name: 'canary weights with a stepped promotion', analysis: { stepWeightPromotion: 25 } },
  { name: 'canary with a mirror step', analysis: { mirror: true, maxWeight: 20 } },
  {
    name: 'rollback on failed checks',
    analysis: { threshold: 2 },
    before: (world, i) => (i >= 3 ? world.metric('request-success-rate', 40) : undefined),
  },
  {
    name: 'failed promotion (primary never ready)',
    before: (world, i) => {
      if (i === 7 && world.primary)
        world.primary = { ...deadlineExceeded(), revision: world.primary.revision ?? '' };
    },
  },
  {
    name: 'Blue/Green with mirroring',
    analysis: { stepWeight: undefined, maxWeight: undefined, iterations: 2, mirror: true },
  },
  {
    name: 'A/B testing',
    analysis: {
      stepWeight: undefined,
      maxWeight: undefined,
      iterations: 2,
      match: [{ headers: { x: { exact: 'y' } } }],
    },
  },
  { name: 'skip analysis', skipAnalysis: true },
];

describe.each(scenarios)('restart safety: $name', scenario => {
  const baseline = play(scenario);
  const cuts = actionCounts(scenario).flatMap((count, at) =>
    Array.from({ length: count }, (_, keep) => ({ at, keep })),
  );

  it('runs to its expected end without crashes', () => {
    expect(baseline.final).toMatchObject({ phase: expect.stringMatching(/Succeeded|Failed/) });
    expect(cuts.length).toBeGreaterThan(20);
  });

  it('ends the same after a crash at any action of any tick and an immediate restart', () => {
    for (const cut of cuts) {
      expect({ cut, ...play(scenario, cut) }).toEqual({ cut, ...baseline });
    }
  });

  it('ends the same when a cut tick is repeated several times before it completes', () => {
    for (const cut of cuts.filter((_, i) => i % 3 === 0)) {
      expect({ cut, ...play(scenario, { ...cut, times: 3 }) }).toEqual({ cut, ...baseline });
    }
  });
});

describe('restart safety: whole ticks', () => {
  it('applying every tick twice (a duplicate executor) changes nothing', () => {
    const world = start({ name: 'twice' });
    const again = start({ name: 'twice' });
    for (let i = 0; i < 12; i++) {
      if (i > 0) {
        world.now = world.now.plus({ milliseconds: MINUTE });
        again.now = world.now;
      }
      world.tick();
      const decision = again.decide();
      again.apply(decision.actions);
      again.apply(decision.actions);
      expect(again.status).toEqual(world.status);
      expect(again.routes).toEqual(world.routes);
    }
    expect(again.phase).toBe('Succeeded');
  });

  it('after a long outage the controller takes one step, not the steps it missed', () => {
    const world = start({ name: 'outage' });
    world.tick();
    world.next();
    world.next();
    expect(world.status.canaryWeight).toBe(20);
    world.next(45 * MINUTE);
    expect(world.status.canaryWeight).toBe(30);
    world.now = world.now.plus({ seconds: 1 });
    world.tick();
    expect(world.status.canaryWeight).toBe(30);
  });

  it('a promotion copied just before a crash is resumed, not analysed and copied again', () => {
    const world = start({ name: 'copy' });
    world.tick();
    for (let i = 0; i < 5; i++) world.next();
    expect(world.status.canaryWeight).toBe(50);
    world.now = world.now.plus({ milliseconds: MINUTE });
    const decision = world.decide();
    const copyAt = decision.actions.findIndex(a => a.type === 'copyTargetToPrimary');
    world.apply(decision.actions.slice(0, copyAt + 1));
    world.metric('request-success-rate', 0);
    world.forget();
    world.tick();
    expect(world.phase).toBe('Promoting');
    expect(world.calls.flat()).toEqual([]);
    expect(world.effects.filter(e => e.type === 'copyTargetToPrimary')).toEqual([]);
  });
});
