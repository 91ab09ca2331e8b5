import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { ValidateIf } from 'class-validator';

/** Optional, but not nullable: leaving the field out is fine, `null` is validated (and rejected) like any value. */
export const IsOptionalNonNull = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

/** Rejects unknown fields and reports every invalid field as `errors[]` of a problem+json 400. */
export function createValidationPipe(): ValidationPipe {
  return new SafeInputValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new BadRequestException({ errors: flatten(errors) }),
  });
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Deeper than any body of this API needs; class-transformer recurses, and overflows the stack at a few thousand. */
const MAX_DEPTH = 32;

/**
 * Checks the raw value for what would otherwise fail below validation, as a 500: nesting too deep to transform,
 * U+0000, which PostgreSQL cannot store in text or jsonb, and lone UTF-16 surrogates (`"\ud800"`), which have no
 * UTF-8 form and would be stored as U+FFFD or fail (in any string or key of a body, query or path). Also the
 * keys `__proto__` and `constructor`, which Nest's pipe deletes without a word: a client's value is refused, never lost.
 */
class SafeInputValidationPipe extends ValidationPipe {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const problem = findUnsafe(value, metadata.data ?? '');
    if (problem) throw new BadRequestException({ errors: [{ field: problem.field || metadata.type, message: problem.message }] });
    return super.transform(value, metadata);
  }
}

/** The first unsafe string, key or nesting, walked iteratively (the value may nest deeply). */
function findUnsafe(value: unknown, root: string): { field: string; message: string } | undefined {
  const nul = (field: string) => ({ field, message: 'must not contain the NUL character (\\u0000)' });
  const surrogate = (field: string) => ({
    field,
    message: 'must be valid Unicode: a lone UTF-16 surrogate (\\ud800-\\udfff) is not a character',
  });
  const stack: [unknown, string, number][] = [[value, root, 0]];
  while (stack.length > 0) {
    const [item, path, depth] = stack.pop()!;
    if (typeof item === 'string') {
      if (item.includes('\u0000')) return nul(path);
      if (LONE_SURROGATE.test(item)) return surrogate(path);
    } else if (item !== null && typeof item === 'object') {
      if (depth > MAX_DEPTH) return { field: path, message: `must not nest more than ${MAX_DEPTH} levels deep` };
      for (const [key, child] of Object.entries(item)) {
        const at = path ? `${path}.${key}` : key;
        if (key.includes('\u0000')) return nul(at);
        if (LONE_SURROGATE.test(key)) return surrogate(at);
        if (key === '__proto__' || key === 'constructor') return { field: at, message: `"${key}" is a reserved key and cannot be used` };
        stack.push([child, at, depth + 1]);
      }
    }
  }
  return undefined;
}

function flatten(errors: ValidationError[], parent = ''): { field: string; message: string }[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}
