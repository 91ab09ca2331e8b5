import { PreconditionFailedError, VersionConflictError } from './domain-error';

/** The version a caller believes an aggregate has: from an `If-Match` header (412 on mismatch) or a body (409). */
export interface ExpectedVersion {
  readonly version: number;
  readonly via: 'if-match' | 'body';
}

export function versionMismatch(resource: string, expected: ExpectedVersion, actual?: number): Error {
  return expected.via === 'if-match'
    ? new PreconditionFailedError(resource, expected.version, actual)
    : new VersionConflictError(resource, expected.version, actual);
}

/** Throws when the loaded aggregate is not at the version the caller expects. */
export function assertExpectedVersion(resource: string, actual: number, expected?: ExpectedVersion): void {
  if (expected && expected.version !== actual) throw versionMismatch(resource, expected, actual);
}
