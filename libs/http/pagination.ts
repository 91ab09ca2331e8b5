import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { ValidationError, isUuid } from '../kernel';

/** `?limit=&cursor=` of every list. The cursor is opaque: the last id of the previous page (ids are UUIDv7). */
export class PageQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export function pageLimit(query: PageQuery): number {
  return query.limit ?? 50;
}

/** The id after which the page starts, or undefined for the first page. */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!isUuid(id)) throw new ValidationError('pagination.invalid_cursor', 'cursor is not a value this API returned');
  return id;
}

/** Builds a page from up to `limit + 1` rows fetched in id order. */
export function toPage<R extends { id: string }, T>(rows: R[], limit: number, map: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const data = rows.slice(0, limit);
  return { data: data.map(map), nextCursor: more ? Buffer.from(data[data.length - 1].id).toString('base64url') : null };
}
