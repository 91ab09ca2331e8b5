import { LoggerService } from '@nestjs/common';
import { ClsServiceManager } from 'nestjs-cls';

const LEVELS = { debug: 10, verbose: 10, info: 20, log: 20, warn: 30, error: 40, fatal: 50 } as const;
type Level = keyof typeof LEVELS;

/** Structured logs: one JSON object per line, carrying the request id of the request being served. */
export class JsonLogger implements LoggerService {
  private readonly threshold: number;

  constructor(level: 'debug' | 'info' | 'warn' | 'error' = 'info') {
    this.threshold = LEVELS[level];
  }

  log(message: unknown, context?: string): void {
    this.write('info', message, context);
  }
  error(message: unknown, traceOrContext?: string, context?: string): void {
    this.write('error', message, context ?? traceOrContext);
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

  write(level: Level, message: unknown, context?: string, fields: Record<string, unknown> = {}): void {
    if (LEVELS[level] < this.threshold) return;
    const cls = ClsServiceManager.getClsService();
    const requestId = cls.isActive() ? cls.get('requestId') : undefined;
    const entry = {
      time: new Date().toISOString(),
      level: level === 'log' ? 'info' : level,
      context,
      requestId,
      msg: typeof message === 'string' ? message : message instanceof Error ? message.message : JSON.stringify(message),
      ...fields,
    };
    (LEVELS[level] >= LEVELS.error ? process.stderr : process.stdout).write(`${JSON.stringify(entry)}\n`);
  }
}
