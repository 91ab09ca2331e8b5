import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '#http';

export class AuditQueryDto extends PageQuery {
  @ApiPropertyOptional({ description: 'Only changes of this table', example: 'contacts' })
  @IsOptional()
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'table must be a table name' })
  table?: string;

  @ApiPropertyOptional({ description: 'Only changes of this row (its id)', example: '0194f5c2-7b1e-7c3a-9d2e-3f4a5b6c7d8e' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  rowId?: string;

  @ApiPropertyOptional({ description: 'Only changes made by this user', format: 'uuid' })
  @IsOptional()
  @IsUUID()
  actor?: string;
}

export class AuditEntryResponse {
  @ApiProperty({ format: 'uuid', example: '0194f5c2-7b1e-7c3a-9d2e-3f4a5b6c7d8e' }) id: string;
  @ApiProperty({ example: 'contacts' }) table: string;
  @ApiProperty({ description: 'The row id (key columns joined by `:`)', example: '0194f5c2-7b1e-7c3a-9d2e-3f4a5b6c7d8f' })
  rowId: string;
  @ApiProperty({ enum: ['insert', 'update', 'soft_delete', 'restore', 'delete'], example: 'update' }) action: string;
  @ApiProperty({
    description: 'Changed columns (secrets and hashes are never recorded)',
    type: 'object',
    additionalProperties: { type: 'object', properties: { old: {}, new: {} } },
    example: { name: { old: 'Grace', new: 'Grace Hopper' }, version: { old: 1, new: 2 } },
  })
  changes: Record<string, { old?: unknown; new?: unknown }>;
  @ApiProperty({ format: 'uuid', nullable: true, type: 'string', description: 'The acting user, if any' }) actorId: string | null;
  @ApiProperty({ nullable: true, type: 'string', description: 'X-Request-Id of the request that made the change' })
  requestId: string | null;
  @ApiProperty({ format: 'date-time' }) occurredAt: Date;
}
