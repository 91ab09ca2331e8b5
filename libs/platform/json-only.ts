import type { NextFunction, Request, Response } from 'express';
import { hasBody, readsStreamedBody } from './streamed-bodies';

/** `application/json` and the `application/*+json` family (e.g. merge-patch+json), with any parameters. */
const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/**
 * The API speaks JSON: a request body of any other type (form data, text, XML, none declared) answers 415
 * problem+json before any parser sees it. Requests without a body are not concerned.
 */
export function rejectNonJsonBodies(req: Request, res: Response, next: NextFunction): void {
  if (!hasBody(req) || JSON_TYPE.test(req.headers['content-type'] ?? '')) return next();
  // The streamed-body routes read their own media types and answer 415 for the wrong one.
  if (readsStreamedBody(req)) return next();
  res
    .status(415)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: 'urn:crm:problem:unsupported_media_type',
        title: 'Unsupported media type',
        status: 415,
        detail: `Send request bodies as application/json (got ${req.headers['content-type'] ? `"${req.headers['content-type']}"` : 'no Content-Type'})`,
        code: 'unsupported_media_type',
        instance: req.originalUrl,
      }),
    );
}
