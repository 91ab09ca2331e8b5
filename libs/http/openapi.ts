import { Type, applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { HeaderObject, OpenAPIObject, OperationObject, ParameterObject } from '@nestjs/swagger';

/** One invalid field of a 400 `validation` problem. */
export class FieldErrorResponse {
  @ApiProperty({ example: 'email' }) field: string;
  @ApiProperty({ example: 'email must be shorter than or equal to 254 characters' }) message: string;
}

/**
 * The body of every error (RFC 9457, `application/problem+json`), as ProblemDetailsFilter writes it. Some problems
 * carry extension members as well, e.g. `expected`/`actual` on `version_conflict` or `contactIds` on
 * `contact_list.unknown_contacts`.
 */
export class ProblemDetailsResponse {
  @ApiProperty({
    description:
      '`urn:crm:problem:<code>`, or the status (e.g. `urn:crm:problem:too_many_requests`) when there is no code; `about:blank` for an unexpected error',
    example: 'urn:crm:problem:contact.duplicate_email',
  })
  type: string;
  @ApiProperty({ description: 'The status as text', example: 'Conflict' }) title: string;
  @ApiProperty({ type: 'integer', example: 409 }) status: number;
  @ApiProperty({ example: 'Another contact of this project has this email' }) detail: string;
  @ApiProperty({ description: 'The request path', example: '/api/v1/contacts' }) instance: string;
  @ApiPropertyOptional({
    description: 'Stable machine-readable code (absent on a few framework-level errors, e.g. 429)',
    example: 'contact.duplicate_email',
  })
  code?: string;
  @ApiPropertyOptional({ type: [FieldErrorResponse], description: 'Every invalid field, on `validation` problems' })
  errors?: FieldErrorResponse[];
}

export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 422 | 429 | 502 | 503;

const PROBLEMS: Record<ProblemStatus, string> = {
  400: 'The request is not valid: `code` says why; `errors[]` lists the invalid body or query fields',
  401: 'No credential, or one that is invalid, expired or revoked',
  403: 'Your role in this project does not allow this action (`auth.insufficient_role`)',
  404: "Not found in this project (another tenant's ids answer the same)",
  409: 'Conflict: a stale body `version` or a concurrent change (`version_conflict`), a duplicate, or a state that does not allow it',
  412: 'If-Match does not match the current version (`precondition_failed`)',
  413: 'The request body is larger than this route accepts',
  415: 'The request body is not of a media type this route accepts (`unsupported_media_type`)',
  422: 'This Idempotency-Key was already used with a different request (`idempotency.key_reused`)',
  429: 'Too many requests for this credential; retry after `Retry-After` seconds',
  502: "A service called on your behalf (a channel's provider) failed or did not answer; nothing was changed",
  503: 'Service unavailable',
};

const RETRY_AFTER: Record<string, HeaderObject> = {
  'Retry-After': { description: 'Seconds until the rate limit resets', required: true, schema: { type: 'integer' } },
};

/** One problem+json error response; the description defaults to the status's usual meaning in this API. */
export function ApiProblem(status: ProblemStatus, description = PROBLEMS[status]) {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsResponse),
    ApiResponse({
      status,
      description,
      content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDetailsResponse) } } },
      ...(status === 429 ? { headers: RETRY_AFTER } : {}),
    }),
  );
}

/** The problem+json error responses a route (or every route of a controller) can give. */
export function ApiProblems(...statuses: ProblemStatus[]) {
  return applyDecorators(...statuses.map((status) => ApiProblem(status)));
}

/**
 * A controller of the credential's project: bearer auth, `X-Project-Id` for user tokens, and the problems every
 * such route can give (400 also covers a user token without X-Project-Id; 404 an X-Project-Id of another project).
 */
export function ApiProjectScoped() {
  return applyDecorators(
    ApiBearerAuth(),
    ApiHeader({
      name: 'X-Project-Id',
      required: false,
      description:
        'With a user JWT (required then: 400 without it), the project to act in; 404 unless you are a member. Ignored with an API key.',
      schema: { type: 'string', format: 'uuid' },
    }),
    ApiProblems(400, 401, 404, 429),
  );
}

const ETAG: Record<string, HeaderObject> = {
  ETag: {
    description: 'The resource version, e.g. `"3"`; send it back as If-Match',
    required: true,
    schema: { type: 'string', example: '"3"' },
  },
};

/** A single versioned resource, with its version as `ETag` (reads, creates and changes). */
export function ApiResource(model: Type<unknown>, options: { status?: 200 | 201; description?: string } = {}) {
  const status = options.status ?? 200;
  return ApiResponse({
    status,
    type: model,
    description: options.description ?? (status === 201 ? 'Created' : 'The resource'),
    headers: ETAG,
  });
}

/** A keyset page `{ data: Model[], nextCursor }` (200). */
export function ApiPage(model: Type<unknown>, description = 'A page; pass nextCursor as cursor for the next one') {
  return applyDecorators(
    ApiExtraModels(model),
    ApiOkResponse({
      description,
      schema: {
        type: 'object',
        required: ['data', 'nextCursor'],
        properties: {
          data: { type: 'array', items: { $ref: getSchemaPath(model) } },
          nextCursor: { type: 'string', nullable: true, description: 'The cursor of the next page; null on the last one' },
        },
      },
    }),
  );
}

/** `If-Match` on a PATCH or DELETE, and its 412. */
export function ApiIfMatch() {
  return applyDecorators(
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'The ETag you read, e.g. `"3"`: a stale one answers 412 (a malformed one 400)',
    }),
    ApiProblem(412),
  );
}

/** `Idempotency-Key` on an authenticated POST, and its 422 (replays also answer `Idempotent-Replayed: true`). */
export function ApiIdempotent() {
  return applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Makes a retry safe: the same key and body replay the first response; the same key with another body answers 422',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    }),
    ApiProblem(422),
  );
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace', 'query'] as const;

/**
 * Headers added to the built document: `X-Request-Id` (accepted, else generated, and echoed on every response) on
 * the operations under `prefix`, the routes the request-context middleware runs on (not those excluded from the
 * global prefix, like /health), and `Idempotent-Replayed` on the success responses of routes that take an
 * Idempotency-Key. Also `security: []` on public operations, so every operation declares its security.
 */
export function addCommonHeaders(document: OpenAPIObject, prefix: string): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    const requestId = path.startsWith(prefix);
    for (const method of METHODS) {
      const operation: OperationObject | undefined = item[method];
      if (!operation) continue;
      // Authenticated operations declare their bearer scheme; the rest are public and say so (`security: []`).
      operation.security ??= [];
      const parameters = (operation.parameters ?? []) as ParameterObject[];
      const idempotent = parameters.some((p) => p.in === 'header' && p.name === 'Idempotency-Key');
      if (requestId) {
        operation.parameters = [
          ...parameters,
          {
            name: 'X-Request-Id',
            in: 'header',
            required: false,
            description: 'Your id for the request (1 to 128 of letters, digits, `_.:-`), echoed and logged; otherwise one is made',
            schema: { type: 'string', pattern: '^[\\w.:-]{1,128}$' },
          },
        ];
      }
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!response || '$ref' in response) continue;
        response.headers = {
          ...response.headers,
          ...(requestId
            ? { 'X-Request-Id': { description: 'The request id (yours, or a generated UUID)', required: true, schema: { type: 'string' } } }
            : {}),
          ...(idempotent && status.startsWith('2')
            ? {
                'Idempotent-Replayed': {
                  description: '`true` when this is the stored response of an earlier request with the same Idempotency-Key',
                  required: false,
                  schema: { type: 'string', enum: ['true'] },
                },
              }
            : {}),
        };
      }
    }
  }
  return document;
}
