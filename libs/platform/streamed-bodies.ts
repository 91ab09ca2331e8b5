import type { Request } from 'express';

/**
 * Routes that read their body themselves, as a stream of another media type than JSON, for as long as the upload
 * lasts (an import commits its batches while the rest arrives).
 */
const STREAMED_BODIES = new Set(['POST /api/v1/contacts/import']);

export const readsStreamedBody = (req: Request): boolean => STREAMED_BODIES.has(`${req.method} ${req.path}`);

/** Whether the request carries a body at all (chunked, or a non-zero Content-Length). */
export function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
