const swc = JSON.parse(require('fs').readFileSync(__dirname + '/.swcrc', 'utf8'));

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/libs', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', { ...swc, swcrc: false }] },
  // NestJS 12 and a few of its dependencies are ESM-only: transpile them to CJS (nested copies too).
  transformIgnorePatterns: [
    '/node_modules/(?!(?:.+/node_modules/)?(?:@nestjs|file-type|strtok3|token-types|@tokenizer|uint8array-extras|@borewit|load-esm|cookie)/)',
  ],
  // Package subpath imports (#kernel, #persistence/...) point at dist/ for Node; tests run the sources.
  moduleNameMapper: {
    '^#migrations/(.*)$': '<rootDir>/migrations/$1',
    '^#([a-z]+)$': '<rootDir>/libs/$1',
    '^#([a-z]+)/(.*)$': '<rootDir>/libs/$1/$2',
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60000,
};
