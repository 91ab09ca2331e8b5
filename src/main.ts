import 'reflect-metadata';
import { ConfigError, loadConfig } from '#config/app-config';
import { JsonLogger } from '#logging/json-logger';
import { OutboxRelay } from '#outbox/outbox-relay';
import { createApp } from './app.factory';
import { prepareDatabase } from './database';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = new JsonLogger(config.logLevel);
  process.on('exit', () => logger.flush());
  const db = await prepareDatabase(config, logger);
  // Shutdown is Nest's lifecycle alone (enableShutdownHooks in createApp): HTTP drains, the relay stops, each pool
  // closes once, and the embedded server (if this process started one) stops last.
  const app = await createApp(config, db.app, logger, [], db.embedded ? { server: db } : {});
  if (config.role === 'relay') await app.init();
  else await app.listen(config.port, '0.0.0.0');
  if (config.role !== 'api') await app.get(OutboxRelay).start();
  logger.log(`ready: role=${config.role}${config.role === 'relay' ? '' : ` port=${config.port}, docs at /docs`}`, 'Main');
}

main().catch((error) => {
  process.stderr.write(`${JSON.stringify({ level: 'fatal', msg: 'start-up failed', error: String(error?.stack ?? error) })}\n`);
  process.exit(1);
});
