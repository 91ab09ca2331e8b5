/** How a client should read an error; the HTTP layer maps each kind to a status code. */
export type ErrorKind =
  | 'validation'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'precondition_failed'
  | 'unprocessable'
  | 'rate_limited'
  /** A service we call on the client's behalf (a channel's provider) failed: 502. */
  | 'bad_gateway';

/** A failure a client can cause, with a stable machine-readable code such as `contact.duplicate_email`. */
export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(resource: string, id?: string) {
    super('not_found', `${resource}.not_found`, id ? `${resource} ${id} was not found` : `${resource} was not found`);
  }
}

export class ValidationError extends DomainError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super('validation', code, message, details);
  }
}

/** The aggregate changed since the caller read it (a body `version` that no longer matches, or a lost race). */
export class VersionConflictError extends DomainError {
  constructor(resource: string, expected: number, actual?: number) {
    super(
      'conflict',
      'version_conflict',
      actual === undefined
        ? `${resource} was changed concurrently; reload it and retry`
        : `${resource} is at version ${actual}, not ${expected}; reload it and retry`,
      actual === undefined ? { expected } : { expected, actual },
    );
  }
}

/** An `If-Match` precondition that no longer holds. */
export class PreconditionFailedError extends DomainError {
  constructor(resource: string, expected: number, actual?: number) {
    super(
      'precondition_failed',
      'precondition_failed',
      `${resource} no longer matches If-Match "${expected}"${actual === undefined ? '' : `; it is at version ${actual}`}`,
    );
  }
}
