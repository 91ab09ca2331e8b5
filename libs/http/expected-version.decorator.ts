import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { ExpectedVersion } from '../kernel';
import { ApiIfMatch } from './openapi';
import { expectedVersion } from './preconditions';

/**
 * The version a write expects, from `If-Match` (stale: 412) or else the body's `version` (stale: 409); also
 * documents `If-Match` and its 412 on the operation. The body's `version` itself is validated by its DTO.
 */
export const Expected = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): ExpectedVersion | undefined => {
    const req = ctx.switchToHttp().getRequest<Request>();
    const header = req.headers['if-match'];
    const bodyVersion = (req.body as { version?: unknown } | undefined)?.version;
    return expectedVersion(
      Array.isArray(header) ? header[0] : header,
      typeof bodyVersion === 'number' && Number.isInteger(bodyVersion) ? bodyVersion : undefined,
    );
  },
  [
    (target, key) => {
      const descriptor = key === undefined ? undefined : Object.getOwnPropertyDescriptor(target, key);
      if (descriptor) ApiIfMatch()(target, key!, descriptor);
    },
  ],
);
