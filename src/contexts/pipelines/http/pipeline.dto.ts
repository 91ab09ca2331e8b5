import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsOptionalNonNull } from '#http/validation';
import { PageQuery } from '#http/pagination';
import { MAX_STATUSES } from '../domain/pipeline';

const TYPES = ['open', 'active', 'closed'] as const;
const COLOR = /^#[0-9a-fA-F]{6}$/;

export class StatusDto {
  @ApiProperty({ example: 'New' }) @IsString() @Length(1, 100) name: string;
  @ApiProperty({ enum: TYPES, description: '`open`: not worked yet, `active`: in progress, `closed`: won or lost', example: 'open' })
  @IsIn(TYPES)
  type: (typeof TYPES)[number];
  @ApiPropertyOptional({ type: String, nullable: true, example: '#1e88e5' })
  @IsOptional()
  @Matches(COLOR, { message: 'color must be #rrggbb' })
  color?: string | null;
}

export class CreatePipelineDto {
  @ApiProperty({ example: 'Sales' }) @IsString() @Length(1, 200) name: string;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @MaxLength(2000) description?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: '#43a047' })
  @IsOptional()
  @Matches(COLOR, { message: 'color must be #rrggbb' })
  color?: string | null;
  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: 43200,
    description: 'Session timeout of the channels that reference this pipeline and set none of their own',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(43200)
  sessionTimeoutMinutes?: number | null;
  @ApiPropertyOptional({ type: [StatusDto], maxItems: MAX_STATUSES, description: 'The first statuses, in board order' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_STATUSES)
  @ValidateNested({ each: true })
  @Type(() => StatusDto)
  statuses?: StatusDto[];
}

export class UpdatePipelineDto {
  @ApiPropertyOptional() @IsOptionalNonNull() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @MaxLength(2000) description?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @Matches(COLOR, { message: 'color must be #rrggbb' }) color?:
    string | null;
  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 1, maximum: 43200 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(43200)
  sessionTimeoutMinutes?: number | null;
  @ApiPropertyOptional({ description: 'The version you read; a mismatch answers 409' })
  @IsOptionalNonNull()
  @IsInt()
  @Min(1)
  version?: number;
}

export class ListPipelinesDto extends PageQuery {
  @ApiPropertyOptional({ description: 'List deleted pipelines (to restore them) instead of live ones' })
  @IsOptional()
  @Transform(({ value }) => value === true || value === 'true')
  @IsBoolean()
  deleted?: boolean;
}

const ALLOWED_NEXT = {
  type: 'string',
  format: 'uuid',
  isArray: true,
  nullable: true,
  maxItems: MAX_STATUSES,
  description: 'The statuses a contact in this one may move to; null (the default) allows any, [] none',
} as const;

export class AddStatusDto extends StatusDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'Its place on the board (0 first); default last' })
  @IsOptional()
  @IsInt()
  @Min(0)
  position?: number;
  @ApiPropertyOptional(ALLOWED_NEXT)
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_STATUSES)
  @IsUUID('all', { each: true })
  allowedNext?: string[] | null;
  @ApiPropertyOptional({ description: "The pipeline's version you read; a mismatch answers 409" })
  @IsOptionalNonNull()
  @IsInt()
  @Min(1)
  version?: number;
}

export class UpdateStatusDto {
  @ApiPropertyOptional({ example: 'Qualified' }) @IsOptionalNonNull() @IsString() @Length(1, 100) name?: string;
  @ApiPropertyOptional({ enum: TYPES }) @IsOptionalNonNull() @IsIn(TYPES) type?: (typeof TYPES)[number];
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @Matches(COLOR, { message: 'color must be #rrggbb' }) color?:
    string | null;
  @ApiPropertyOptional(ALLOWED_NEXT)
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_STATUSES)
  @IsUUID('all', { each: true })
  allowedNext?: string[] | null;
  @ApiPropertyOptional({ description: "The pipeline's version you read; a mismatch answers 409" })
  @IsOptionalNonNull()
  @IsInt()
  @Min(1)
  version?: number;
}

export class ReorderStatusesDto {
  @ApiProperty({
    type: 'string',
    format: 'uuid',
    isArray: true,
    minItems: 1,
    maxItems: MAX_STATUSES,
    description: 'Every live status, in the new order',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_STATUSES)
  @IsUUID('all', { each: true })
  statusIds: string[];
  @ApiPropertyOptional({ description: "The pipeline's version you read; a mismatch answers 409" })
  @IsOptionalNonNull()
  @IsInt()
  @Min(1)
  version?: number;
}

export class BoardQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20, description: 'Contacts per status' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class MoveContactDto {
  @ApiProperty({ format: 'uuid', description: 'A live status of the pipeline' }) @IsUUID() statusId: string;
  @ApiPropertyOptional({ description: "The version of the contact's place you read; a mismatch answers 409" })
  @IsOptionalNonNull()
  @IsInt()
  @Min(1)
  version?: number;
}
