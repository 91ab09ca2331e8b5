import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { ClsService } from 'nestjs-cls';
import { JsonLogger } from './json-logger';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Runs when the request's context opens: takes the request id from `X-Request-Id` (or makes one), echoes it and
 * writes one log line when the response is finished.
 */
export function startRequest(logger: JsonLogger, cls: ClsService, req: Request, res: Response): void {
  const given = req.headers['x-request-id'];
  const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  cls.set('requestId', requestId);
  res.setHeader('X-Request-Id', requestId);
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    const durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
    logger.write(res.statusCode >= 500 ? 'error' : 'info', `${req.method} ${req.originalUrl} ${res.statusCode}`, 'Http', {
      requestId,
      method: req.method,
      path: req.originalUrl,
      status: res.statusCode,
      durationMs,
    });
  });
}
