// Seeds a throwaway PostgreSQL database with a year of history (10,000 rollouts over 500 canaries,
// 1,000,000 checks, 100,000 events) and times the reads the entity page makes through the real
// store: the latest rollout of an entity's canaries, the first history page of a canary, and one
// rollout with its checks. Prints p50/p95/p99 per read; the goal is p99 < 50 ms. Not a test.
//
//   npm run bench -w @aviary/backstage-plugin-canary-backend
//   CANARY_BENCH_PG=postgresql://user@host:5432 npm run bench ...   (default: local trust auth)
import knexFactory, { type Knex } from 'knex';
import { performance } from 'node:perf_hooks';
import { DatabaseRolloutStore } from '../src/database/DatabaseRolloutStore';
import { TABLES } from '../src/database/tables';

const SERVER = process.env.CANARY_BENCH_PG ?? 'postgresql://postgres@127.0.0.1:5432';
const DATABASE = `aviary_canary_bench_${process.pid}`;
const CANARIES = 500;
const ROLLOUTS_PER_CANARY = 20;
const CHECK_TIMES_PER_ROLLOUT = 50; // two metrics each: 100 checks per rollout
const EVENTS_PER_ROLLOUT = 10;
const ITERATIONS = Number(process.env.CANARY_BENCH_ITERATIONS ?? 1000);
const GOAL_MS = 50;
const DAY = 86_400_000;

function connect(database: string): Knex {
  return knexFactory({
    client: 'pg',
    connection: `${SERVER.replace(/\/+$/, '')}/${database}`,
    pool: { min: 1, max: 4 },
  });
}

function canaryName(i: number) {
  return { cluster: 'prod', namespace: `team-${i % 50}`, name: `service-${i}` };
}

/** Deterministic pseudo-random numbers, so runs are comparable. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

async function insertBatched(
  knex: Knex,
  table: string,
  rows: object[],
  batch: number,
): Promise<void> {
  const statements: Array<Promise<unknown>> = [];
  for (let i = 0; i < rows.length; i += batch) {
    statements.push(knex(table).insert(rows.slice(i, i + batch)));
    if (statements.length === 4) await Promise.all(statements.splice(0));
  }
  await Promise.all(statements);
}

async function seed(knex: Knex): Promise<number[]> {
  const rnd = random(42);
  const now = Date.parse('2026-11-22T00:00:00Z');
  const rollouts: object[] = [];
  for (let c = 0; c < CANARIES; c += 1) {
    const ref = canaryName(c);
    for (let r = 0; r < ROLLOUTS_PER_CANARY; r += 1) {
      const started = now - 365 * DAY + Math.floor(((r + rnd()) / ROLLOUTS_PER_CANARY) * 365 * DAY);
      const last = r === ROLLOUTS_PER_CANARY - 1 && c % 10 === 0;
      const roll = rnd();
      const outcome = last
        ? 'Running'
        : roll < 0.8
          ? 'Succeeded'
          : roll < 0.95
            ? 'Failed'
            : 'Superseded';
      rollouts.push({
        cluster: ref.cluster,
        namespace: ref.namespace,
        canary: ref.name,
        revision: `rev-${c}-${r}`,
        images: JSON.stringify({
          canary: [`registry/${ref.name}:1.${r + 1}.0`],
          primary: [`registry/${ref.name}:1.${r}.0`],
        }),
        started_at: started,
        ended_at: outcome === 'Running' ? null : started + 10 * 60_000,
        outcome,
        reason: outcome === 'Failed' ? 'Canary analysis failed: success rate below 99%' : null,
        max_weight: 50,
        failed_checks: outcome === 'Failed' ? 2 : 0,
        check_count: CHECK_TIMES_PER_ROLLOUT * 2,
        updated_at: started + 10 * 60_000,
      });
    }
  }
  const ids: number[] = [];
  for (let i = 0; i < rollouts.length; i += 1000) {
    const rows: Array<{ id: number }> = await knex(TABLES.rollouts)
      .insert(rollouts.slice(i, i + 1000))
      .returning('id');
    ids.push(...rows.map(row => Number(row.id)));
  }
  console.log(`  ${ids.length} rollouts over ${CANARIES} canaries`);

  const startedById = new Map<number, number>();
  rollouts.forEach((row, i) =>
    startedById.set(ids[i]!, (row as { started_at: number }).started_at),
  );
  let checks = 0;
  let pending: object[] = [];
  const t0 = performance.now();
  for (const id of ids) {
    const start = startedById.get(id)!;
    for (let t = 0; t < CHECK_TIMES_PER_ROLLOUT; t += 1) {
      const time = start + (t + 1) * 10_000;
      pending.push(
        {
          rollout_id: id,
          time,
          metric: 'request-success-rate',
          value: 99 + rnd(),
          outcome: 'value',
          threshold_min: 99,
          threshold_max: null,
          verdict: 'pass',
          message: null,
        },
        {
          rollout_id: id,
          time,
          metric: 'request-duration',
          value: 20 + 100 * rnd(),
          outcome: 'value',
          threshold_min: null,
          threshold_max: 500,
          verdict: 'pass',
          message: null,
        },
      );
    }
    if (pending.length >= 20_000) {
      await insertBatched(knex, TABLES.checks, pending, 5_000);
      checks += pending.length;
      pending = [];
      if (checks % 100_000 === 0) {
        const rate = Math.round(checks / ((performance.now() - t0) / 1000));
        console.log(`  ${checks.toLocaleString('en')} checks (${rate.toLocaleString('en')}/s)`);
      }
    }
  }
  await insertBatched(knex, TABLES.checks, pending, 5_000);
  checks += pending.length;
  console.log(
    `  ${checks.toLocaleString('en')} checks in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const events: object[] = [];
  for (const id of ids) {
    const start = startedById.get(id)!;
    for (let e = 0; e < EVENTS_PER_ROLLOUT; e += 1) {
      const message = `Advance canary weight ${e * 5}`;
      events.push({
        rollout_id: id,
        time: start + e * 60_000,
        type: 'Normal',
        reason: 'Synced',
        message,
        dedup_key: `${id}-${e}`,
      });
    }
  }
  await insertBatched(knex, TABLES.events, events, 5_000);
  console.log(`  ${events.length.toLocaleString('en')} events`);
  // Measure the steady state, not the write-back of a million fresh rows.
  await knex.raw('vacuum analyze');
  await knex.raw('checkpoint');
  return ids;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measure(
  name: string,
  read: (i: number) => Promise<unknown>,
  goal = true,
): Promise<boolean> {
  for (let i = 0; i < 100; i += 1) await read(i); // warm-up: connections, caches
  const times: number[] = [];
  for (let i = 0; i < ITERATIONS; i += 1) {
    const t = performance.now();
    await read(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const [p50, p95, p99] = [50, 95, 99].map(p => percentile(times, p));
  const ok = p99! < GOAL_MS;
  const verdict = !goal ? '(for information)' : ok ? 'p99 < 50 ms: yes' : 'p99 < 50 ms: NO';
  const ms = (v: number) => `${v.toFixed(2).padStart(7)} ms`;
  console.log(`  ${name.padEnd(50)} p50 ${ms(p50!)}  p95 ${ms(p95!)}  p99 ${ms(p99!)}  ${verdict}`);
  return ok || !goal;
}

async function main() {
  const admin = connect('postgres');
  console.log(`creating database ${DATABASE}`);
  await admin.raw(`create database ${DATABASE}`);
  const knex = connect(DATABASE);
  try {
    const store = await DatabaseRolloutStore.create({ database: knex });
    console.log('seeding');
    const ids = await seed(knex);
    const rnd = random(7);
    const pick = () => Math.floor(rnd() * CANARIES);
    console.log(`reading (${ITERATIONS} iterations each)`);
    const results = [
      await measure('latest rollouts of an entity (3 canaries)', () =>
        store.latestRollouts([canaryName(pick()), canaryName(pick()), canaryName(pick())]),
      ),
      await measure('first history page of a canary (20)', () =>
        store.listRollouts(canaryName(pick()), { limit: 20 }),
      ),
      await measure('next history page of a canary (10 after 10)', async () => {
        const ref = canaryName(pick());
        const first = await store.listRollouts(ref, { limit: 10 });
        return store.listRollouts(ref, {
          limit: 10,
          ...(first.next ? { before: first.next } : {}),
        });
      }),
      await measure('one rollout with its 100 checks and events', () =>
        store.getRollout(String(ids[Math.floor(rnd() * ids.length)])),
      ),
      await measure('entity page (latest of 3 + first page, parallel)', () => {
        const refs = [canaryName(pick()), canaryName(pick()), canaryName(pick())];
        return Promise.all([
          store.latestRollouts(refs),
          store.listRollouts(refs[0]!, { limit: 20 }),
        ]);
      }),
      await measure(
        'overview page: latest rollouts of all 500 canaries',
        () => store.latestRollouts(Array.from({ length: CANARIES }, (_, i) => canaryName(i))),
        false,
      ),
    ];
    console.log(
      results.every(Boolean)
        ? 'goal met: every entity-page read has p99 < 50 ms'
        : 'goal missed for at least one entity-page read',
    );
  } finally {
    await knex.destroy();
    await admin.raw(`drop database if exists ${DATABASE}`);
    await admin.destroy();
    console.log(`dropped database ${DATABASE}`);
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
