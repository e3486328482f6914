// The rollout history of the canary plugin. Every time is an integer of epoch milliseconds, so
// ordering and comparison behave the same on SQLite and PostgreSQL (PostgreSQL's bigint comes back
// as a string; the row mappers convert it).

/**
 * @param {import('knex').Knex} knex
 */
async function up(knex) {
  await knex.schema.createTable('canary_rollouts', table => {
    table.comment('One revision of one canary that the controller analysed');
    table.increments('id');
    table.string('cluster').notNullable();
    table.string('namespace').notNullable();
    table.string('canary').notNullable();
    table.string('revision').notNullable();
    table.text('images').notNullable().comment('JSON { canary: string[], primary: string[] }');
    table.bigInteger('started_at').notNullable();
    table.bigInteger('ended_at').nullable();
    table.string('outcome').notNullable();
    table.text('reason').nullable();
    table.integer('max_weight').notNullable().defaultTo(0);
    table.integer('failed_checks').notNullable().defaultTo(0);
    table.integer('check_count').notNullable().defaultTo(0);
    table.bigInteger('updated_at').notNullable();
    table.unique(['cluster', 'namespace', 'canary', 'revision'], {
      indexName: 'canary_rollouts_revision_uniq',
    });
    // History pages and "latest rollout of each canary" walk this index backwards.
    table.index(
      ['cluster', 'namespace', 'canary', 'started_at', 'id'],
      'canary_rollouts_history_idx',
    );
    // Retention deletes by end time.
    table.index(['ended_at'], 'canary_rollouts_ended_idx');
  });

  await knex.schema.createTable('canary_checks', table => {
    table.comment('One metric check of a rollout');
    table.bigIncrements('id');
    table
      .integer('rollout_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('canary_rollouts')
      .onDelete('CASCADE');
    table.bigInteger('time').notNullable();
    table.string('metric').notNullable();
    table.double('value').nullable();
    table.string('outcome').notNullable();
    table.double('threshold_min').nullable();
    table.double('threshold_max').nullable();
    table.string('verdict').notNullable();
    table.text('message').nullable();
    // Also the index that reads a rollout's checks in time order.
    table.unique(['rollout_id', 'time', 'metric'], { indexName: 'canary_checks_uniq' });
  });

  await knex.schema.createTable('canary_events', table => {
    table.comment('A Kubernetes Event recorded with a rollout');
    table.bigIncrements('id');
    table
      .integer('rollout_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('canary_rollouts')
      .onDelete('CASCADE');
    table.bigInteger('time').notNullable();
    table.string('type').notNullable();
    table.string('reason').notNullable();
    table.text('message').notNullable();
    // sha256 of time, reason and message: messages can be long, an index on them cannot.
    table.string('dedup_key', 64).notNullable();
    table.unique(['rollout_id', 'dedup_key'], { indexName: 'canary_events_uniq' });
    table.index(['rollout_id', 'time'], 'canary_events_rollout_idx');
  });

  await knex.schema.createTable('canary_actors', table => {
    table.comment('A manual action on a rollout and who asked for it');
    table.bigIncrements('id');
    table
      .integer('rollout_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('canary_rollouts')
      .onDelete('CASCADE');
    table.string('action').notNullable();
    table.string('by').notNullable();
    table.text('reason').nullable();
    table.bigInteger('at').notNullable();
    table.string('outcome').nullable();
    table.unique(['rollout_id', 'action', 'by', 'at'], { indexName: 'canary_actors_uniq' });
  });

  await knex.schema.createTable('canary_stream_cursors', table => {
    table.comment('Where ingestion resumes the stream of each controller');
    table.string('cluster').primary();
    table.string('event_id').notNullable();
    table.bigInteger('updated_at').notNullable();
  });
}

/**
 * @param {import('knex').Knex} knex
 */
async function down(knex) {
  await knex.schema.dropTable('canary_stream_cursors');
  await knex.schema.dropTable('canary_actors');
  await knex.schema.dropTable('canary_events');
  await knex.schema.dropTable('canary_checks');
  await knex.schema.dropTable('canary_rollouts');
}

module.exports = { up, down };
