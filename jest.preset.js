// Shared jest settings: swc strips types (tsc -b type-checks separately) and turns the
// ESM-only @kubernetes/client-node and its dependencies into CommonJS for jest's runtime.
const esmPackages = ['@kubernetes/client-node', 'openid-client', 'oauth4webapi', 'jose'];

module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    '^@aviary/playground$': '<rootDir>/../playground/src/index.ts',
  },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
};
