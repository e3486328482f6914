// The portal's browser test: plain jest in Node (not Backstage's jsdom setup, which refuses
// network requests), run by `npm test` in this package.
const preset = require('../../../jest.preset.js');

module.exports = {
  ...preset,
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.e2e.test.ts'],
  testTimeout: 600_000,
};
