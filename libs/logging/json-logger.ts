import { LoggerService } from '@nestjs/common';
import { ClsServiceManager } from 'nestjs-cls';
import pino, { Logger as Pino } from 'pino';

type Level = 'debug' | 'info' | 'warn' | 'error' | 'fatal';

const SECRETS = ['authorization', 'cookie', 'password', 'apiKey', 'api_key', 'key', 'token', 'accessToken', 'refreshToken', 'secret'];
/**
 * Fields that must never reach a log line: at the top level and inside the objects a line may carry (headers, a
 * body, a query). Explicit paths, not wildcards: pino's wildcard redaction costs ten times a whole log line.
 */
const REDACT = [...SECRETS, ...['headers', 'body', 'query', 'req.headers', 'req.body'].flatMap((at) => SECRETS.map((f) => `${at}.${f}`))];

/**
 * Structured logs on pino: one JSON object per line, carrying the request id of the request being served, errors
 * with their stack, credentials redacted. Also Nest's logger (`LoggerService`).
 */
export class JsonLogger implements LoggerService {
  readonly pino: Pino;

  private readonly destination: pino.DestinationStream;

  /** Writes asynchronously to stdout by default (a synchronous write per request line costs throughput). */
  constructor(level: 'debug' | 'info' | 'warn' | 'error' = 'info', destination?: pino.DestinationStream) {
    this.destination = destination ?? pino.destination({ sync: false });
    this.pino = pino(
      {
        level,
        base: undefined,
        messageKey: 'msg',
        errorKey: 'err',
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        redact: { paths: REDACT, censor: '[redacted]' },
        mixin: requestIdOfContext,
      },
      this.destination,
    );
  }

  log(message: unknown, context?: string): void {
    this.write('info', message, context);
  }
  /** Nest calls `error(message, stack, context)`, `error(message, context)` or `error(error)`: the stack is kept in every form. */
  error(message: unknown, traceOrContext?: string, context?: string): void {
    const isStack = typeof traceOrContext === 'string' && /\n\s+at /.test(traceOrContext);
    const stack = context !== undefined || isStack ? traceOrContext : undefined;
    this.write('error', message, context ?? (isStack ? undefined : traceOrContext), stack ? { stack } : {});
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  fatal(message: unknown, context?: string): void {
    this.write('fatal', message, context);
  }

  isLevelEnabled(level: Level): boolean {
    return this.pino.isLevelEnabled(level);
  }

  write(level: Level, message: unknown, context?: string, fields: Record<string, unknown> = {}): void {
    if (!this.pino.isLevelEnabled(level)) return;
    if (message instanceof Error) this.pino[level]({ context, ...fields, err: message }, message.message);
    else this.pino[level]({ context, ...fields }, typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Writes what is buffered, synchronously: for the moment the process exits. */
  flush(): void {
    const sync = (this.destination as { flushSync?: () => void }).flushSync;
    try {
      if (sync) sync.call(this.destination);
      else this.pino.flush();
    } catch {
      // Not open yet (nothing written): nothing to flush.
    }
  }
}

function requestIdOfContext(): { requestId?: string } {
  const cls = ClsServiceManager.getClsService();
  const requestId = cls.isActive() ? (cls.get('requestId') as string | undefined) : undefined;
  return requestId ? { requestId } : {};
}
