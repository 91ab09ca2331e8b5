import type { Response } from 'express';
import { ExpectedVersion, ValidationError } from '../kernel';

/** `ETag: "<version>"` on every single-resource response. */
export function setEtag(res: Response, version: number): void {
  res.setHeader('ETag', `"${version}"`);
}

/**
 * The version a write expects: `If-Match` wins (412 on mismatch), else the body's `version` (409 on mismatch),
 * else none (the write still compare-and-swaps against the version it loaded).
 */
export function expectedVersion(ifMatch: string | undefined, bodyVersion: number | undefined): ExpectedVersion | undefined {
  if (ifMatch !== undefined && ifMatch !== '' && ifMatch !== '*') {
    const match = /^(?:W\/)?"(\d+)"$/.exec(ifMatch.trim());
    if (!match) throw new ValidationError('precondition.invalid_if_match', 'If-Match must be an ETag this API returned, e.g. "3"');
    return { version: Number(match[1]), via: 'if-match' };
  }
  return bodyVersion === undefined ? undefined : { version: bodyVersion, via: 'body' };
}
