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
  const db = await prepareDatabase(config, logger);
  const app = await createApp(config, db.app, logger);
  if (config.role === 'relay') await app.init();
  else await app.listen(config.port, '0.0.0.0');
  const relay = app.get(OutboxRelay);
  if (config.role !== 'api') await relay.start();
  logger.log(`ready: role=${config.role}${config.role === 'relay' ? '' : ` port=${config.port}, docs at /docs`}`, 'Main');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: shutting down`, 'Main');
    await relay.stop();
    await app.close();
    await db.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error) => {
  process.stderr.write(`${JSON.stringify({ level: 'fatal', msg: 'start-up failed', error: String(error?.stack ?? error) })}\n`);
  process.exit(1);
});
