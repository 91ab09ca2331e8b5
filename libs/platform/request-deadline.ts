import type { Server } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { hasBody, readsStreamedBody } from './streamed-bodies';

/**
 * Node's `requestTimeout` (the whole request received within a limit, 300 s by default: the guard against bodies
 * dripped in to hold connections) applies to every request of the server alike, so it would cut a streamed import
 * of millions of rows, whose body is read only as fast as its batches commit. It becomes a deadline per request
 * with a body, which the streamed-body routes do not get: those are bounded by their size limit instead. A late
 * body answers 408 problem+json and the connection is closed.
 */
export function requestDeadlines(server: Server, timeoutMs: number) {
  server.requestTimeout = 0;
  return (req: Request, res: Response, next: NextFunction): void => {
    if (timeoutMs > 0 && hasBody(req) && !readsStreamedBody(req)) {
      const timer = setTimeout(() => {
        // Answered already (an unread body is drained by Node afterwards): the connection may serve the next request.
        if (req.complete || res.writableEnded) return;
        if (res.headersSent) {
          req.socket?.destroy();
          return;
        }
        res.once('finish', () => req.socket?.destroy());
        res
          .status(408)
          .set('Connection', 'close')
          .type('application/problem+json')
          .send(
            JSON.stringify({
              type: 'urn:crm:problem:request_timeout',
              title: 'Request timeout',
              status: 408,
              detail: `The request body did not arrive within ${timeoutMs} ms`,
              code: 'request_timeout',
              instance: req.originalUrl,
            }),
          );
      }, timeoutMs).unref();
      const clear = () => clearTimeout(timer);
      req.once('end', clear);
      req.once('close', clear);
    }
    next();
  };
}
