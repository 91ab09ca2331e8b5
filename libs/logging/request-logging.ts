import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { ClsService } from 'nestjs-cls';
import { JsonLogger } from './json-logger';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Told of every finished request (the metrics), with its route pattern rather than its URL. */
export type RequestObserver = (method: string, route: string, status: number, seconds: number) => void;

/**
 * Runs when the request's context opens: takes the request id from `X-Request-Id` (or makes one), echoes it and
 * writes one log line when the response is finished (at info; 503 at warn, other 5xx at error).
 */
export function startRequest(logger: JsonLogger, cls: ClsService, req: Request, res: Response, observe?: RequestObserver): void {
  const given = req.headers['x-request-id'];
  const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  cls.set('requestId', requestId);
  res.setHeader('X-Request-Id', requestId);
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const route = routeOf(req);
    observe?.(req.method, route, res.statusCode, seconds);
    // 503: the database is away or the process not ready; an outage is reported once, not as an error per request.
    const level = res.statusCode === 503 ? 'warn' : res.statusCode >= 500 ? 'error' : 'info';
    if (!logger.isLevelEnabled(level)) return;
    logger.write(level, `${req.method} ${req.originalUrl} ${res.statusCode}`, 'Http', {
      requestId,
      method: req.method,
      path: req.originalUrl,
      route,
      status: res.statusCode,
      durationMs: Math.round(seconds * 1e5) / 100,
    });
  });
}

/** The matched route's pattern (`/api/v1/contacts/:id`): raw URLs would give every id a metric of its own. */
function routeOf(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl ?? ''}${path}` : 'unmatched';
}
