// Test defaults for this machine and CI: the real PostgreSQL 15 on localhost (trust auth) next to
// SQLite, and no Docker. An environment that sets these keeps its own values.
process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??=
  'postgresql://postgres@127.0.0.1:5432';
process.env.BACKSTAGE_TEST_DISABLE_DOCKER ??= '1';

export {};
