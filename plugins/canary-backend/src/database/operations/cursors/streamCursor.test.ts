import { createTestDatabases, migratedKnex } from '../../__fixtures__/rollouts';
import { getStreamCursor, setStreamCursor } from './streamCursor';

const databases = createTestDatabases();

describe('stream cursors', () => {
  it.each(databases.eachSupportedId())('keeps one resume point per controller, %p', async id => {
    const knex = await migratedKnex(databases, id);
    expect(await getStreamCursor(knex, 'prod')).toBeUndefined();
    await setStreamCursor(knex, 'prod', '12');
    await setStreamCursor(knex, 'staging', '3');
    await setStreamCursor(knex, 'prod', '13');
    expect(await getStreamCursor(knex, 'prod')).toBe('13');
    expect(await getStreamCursor(knex, 'staging')).toBe('3');
  });
});
