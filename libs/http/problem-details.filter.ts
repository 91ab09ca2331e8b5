import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, ErrorKind } from '../kernel';
import { isDatabaseUnavailable } from '../persistence/database-errors';

/** What a 503 asks clients to wait before retrying, in seconds. */
const RETRY_AFTER_SECONDS = 5;

const STATUS: Record<ErrorKind, number> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  unprocessable: 422,
  rate_limited: 429,
  bad_gateway: 502,
};

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code?: string;
  errors?: { field: string; message: string }[];
  [extension: string]: unknown;
}

/** Every error leaves as RFC 9457 `application/problem+json`; unexpected ones as a bare 500 without internals. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const problem = this.toProblem(exception);
    problem.instance = req.originalUrl;
    // 503s are the database or a dependency being away (or not ready yet), 502s a provider failing: expected,
    // worth a warning, not a stack.
    if (problem.status === 503 || problem.status === 502)
      this.logger.warn(`${req.method} ${req.originalUrl}: ${problem.detail} (${(exception as Error)?.message})`);
    else if (problem.status >= 500)
      this.logger.error(
        `${req.method} ${req.originalUrl}: ${(exception as Error)?.message ?? String(exception)}`,
        (exception as Error)?.stack,
      );
    if (res.headersSent) return;
    if (problem.status === 503) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    // A rate limit of the domain (sign-in, sign-up) says when to retry, like the throttler's own 429.
    if (exception instanceof DomainError && typeof exception.details?.retryAfter === 'number') {
      res.setHeader('Retry-After', String(exception.details.retryAfter));
    }
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown): ProblemDetails {
    // The database went away (restart, failover, terminated connections, pool exhausted): retry, not a bug.
    if (!(exception instanceof HttpException) && !(exception instanceof DomainError) && isDatabaseUnavailable(exception)) {
      return {
        type: 'urn:crm:problem:service_unavailable',
        title: titleOf(503),
        status: 503,
        detail: `The database is unavailable; retry after ${RETRY_AFTER_SECONDS} s`,
        code: 'service_unavailable',
      };
    }
    if (exception instanceof DomainError) {
      const status = STATUS[exception.kind];
      // Details first: they add members, never replace the standard ones.
      return {
        ...(exception.details ?? {}),
        type: `urn:crm:problem:${exception.code}`,
        title: titleOf(status),
        status,
        detail: exception.message,
        code: exception.code,
      };
    }
    // Nest hands body-parser's SyntaxError over wrapped in a BadRequestException (as its cause).
    if (isMalformedJson(exception) || (exception instanceof HttpException && isMalformedJson(exception.cause))) {
      return {
        type: 'urn:crm:problem:malformed_json',
        title: titleOf(400),
        status: 400,
        detail: 'The request body is not valid JSON',
        code: 'malformed_json',
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const fromBody = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
      if (Array.isArray(fromBody.errors)) {
        return {
          type: 'urn:crm:problem:validation',
          title: titleOf(status),
          status,
          detail: 'The request is not valid',
          code: 'validation',
          errors: fromBody.errors as ProblemDetails['errors'],
        };
      }
      const message = Array.isArray(fromBody.message) ? fromBody.message.join('; ') : String(fromBody.message ?? exception.message);
      const problem: ProblemDetails = { type: `urn:crm:problem:${slug(titleOf(status))}`, title: titleOf(status), status, detail: message };
      // Readiness says what is down.
      if (fromBody.checks && typeof fromBody.checks === 'object') problem.checks = fromBody.checks;
      if (typeof fromBody.code === 'string') problem.code = fromBody.code;
      return problem;
    }
    return { type: 'about:blank', title: titleOf(500), status: 500, detail: 'An unexpected error occurred' };
  }
}

function titleOf(status: number): string {
  const name = HttpStatus[status];
  if (!name) return 'Error';
  return name.charAt(0) + name.slice(1).toLowerCase().replace(/_/g, ' ');
}

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '_');
}

function isMalformedJson(error: unknown): boolean {
  return error instanceof SyntaxError && (error as { type?: string }).type === 'entity.parse.failed';
}
