import 'reflect-metadata';
import { appTarget, parseDatabaseUrl } from '#persistence/connection-options';
import { probe, startRelayHost } from './relay-host';

/**
 * One relay process of the scaling bench (forked with IPC): the application as `ROLE=relay` runs it, plus the
 * bench consumer. It says `ready`, starts its relay on `go`, and on `stop` closes and reports how many events its
 * consumer handled.
 */
async function main(): Promise<void> {
  const ownerUrl = process.env.DATABASE_URL!;
  const appPassword = process.env.APP_DB_PASSWORD!;
  const host = await startRelayHost({ ownerUrl, appPassword, app: appTarget(parseDatabaseUrl(ownerUrl), appPassword) });
  let handled = 0;
  probe.onEvents = (events) => (handled += events.length);
  process.on('message', (message) => {
    if (message === 'go') void host.relay.start();
    if (message === 'stop') void host.close().then(() => process.send!({ handled }, () => process.exit(0)));
  });
  process.send!('ready');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
