import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/**
 * Helmet's headers everywhere. The API answers JSON only, so its policy forbids everything a document could load;
 * the Swagger UI under /docs needs its own scripts and styles, so it keeps helmet's default policy.
 */
export function securityHeaders(): RequestHandler {
  const api = helmet({ contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } } });
  const docs = helmet({ contentSecurityPolicy: { directives: { 'script-src': ["'self'", "'unsafe-inline'"] } } });
  return (req: Request, res: Response, next: NextFunction) => (req.path.startsWith('/docs') ? docs : api)(req, res, next);
}
