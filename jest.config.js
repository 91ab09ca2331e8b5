const swc = JSON.parse(require('fs').readFileSync(__dirname + '/.swcrc', 'utf8'));

const net = require('net');
const { env, stderr } = require('process');

/** Whether something accepts TCP connections on 127.0.0.1:port (within a second). */
function answers(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, timeout: 1000 });
    const settle = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => settle(true));
    socket.once('error', () => settle(false));
    socket.once('timeout', () => settle(false));
  });
}

/**
 * The broker suites need a real RabbitMQ / NATS. `npm test` must also work on a machine without them, so outside
 * CI a suite whose broker neither answers on its standard port nor is named by TEST_*_URL is left out, saying so.
 * Under CI (CI=true) nothing is left out, and .ci/run fails unless the broker suites ran and passed.
 */
async function suitesWithoutTheirBroker() {
  if (env.CI === 'true') return [];
  const brokers = [
    { name: 'RabbitMQ', env: 'TEST_RABBITMQ_URL', port: 5672, suites: ['broker-rabbitmq.e2e.spec.ts', 'multi-instance.e2e.spec.ts'] },
    { name: 'NATS', env: 'TEST_NATS_URL', port: 4222, suites: ['broker-nats.e2e.spec.ts'] },
  ];
  const absent = [];
  for (const broker of brokers) {
    if (env[broker.env] || (await answers(broker.port))) continue;
    stderr.write(`no ${broker.name} on 127.0.0.1:${broker.port}: ${broker.suites.join(', ')} left out (CI runs them)\n`);
    absent.push(...broker.suites.map((suite) => `/test/${suite.replace(/\./g, '\\.')}$`));
  }
  return absent;
}

const config = {
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
  // The suites share one database: one at a time. In one worker rather than in band, so that the worker can be
  // replaced once a suite leaves it large: each suite loads the whole application into a module registry of its
  // own, and in one process the heap grew past 1.5 GB by the 25th suite, slowing the later ones in garbage
  // collection (the streamed-import suite took 80 s there, 27 s alone, 52 to 62 s in a replaced worker).
  maxWorkers: 1,
  workerIdleMemoryLimit: '700MB',
};

module.exports = async () => ({ ...config, testPathIgnorePatterns: ['/node_modules/', ...(await suitesWithoutTheirBroker())] });
