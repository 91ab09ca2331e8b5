import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsInt,
  IsObject,
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
import { CONDITION_OPERATORS } from '../automations.events';
import { ACTIONS, MAX_DELAY_MINUTES } from '../domain/automation-catalog';

/*
 * The definition's trigger, conditions and actions are checked against the catalog by the domain (which reports
 * the path of every bad element); the classes below document their shape.
 */

export class TriggerDto {
  @ApiPropertyOptional({ description: 'An event type of the catalog (or use `schedule`)', example: 'contact.created' }) event?: string;
  @ApiPropertyOptional({ description: 'A 5-field cron expression (instead of `event`)', example: '0 9 * * 1-5' }) schedule?: string;
  @ApiPropertyOptional({ description: "The schedule's IANA time zone (UTC by default)", example: 'Europe/Berlin' }) timezone?: string;
}

/** A value a condition compares with: a scalar, or an array of scalars (a fresh copy: the document builder changes what it is handed). */
export function conditionValueSchema(): { oneOf: SchemaObject[] } {
  const scalars = (): SchemaObject[] => [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }];
  return { oneOf: [...scalars(), { type: 'array', items: { oneOf: scalars() } }] };
}

export class ConditionDto {
  @ApiProperty({ description: 'A field of the catalog', example: 'tags' }) field: string;
  @ApiProperty({ enum: CONDITION_OPERATORS, example: 'contains' }) op: string;
  @ApiPropertyOptional({
    ...conditionValueSchema(),
    description: 'What the field is compared with (an array for `in`, a boolean or nothing for `exists`)',
    example: 'vip',
  })
  value?: unknown;
}

@ApiExtraModels(ConditionDto)
export class ConditionGroupDto {
  @ApiPropertyOptional({
    description: 'Conditions or groups that must all hold',
    type: 'array',
    items: { anyOf: [{ $ref: getSchemaPath(ConditionDto) }, { $ref: getSchemaPath(ConditionGroupDto) }] },
    example: [{ field: 'tags', op: 'contains', value: 'vip' }],
  })
  all?: unknown[];
  @ApiPropertyOptional({
    description: 'Conditions or groups of which at least one must hold (when not empty)',
    type: 'array',
    items: { anyOf: [{ $ref: getSchemaPath(ConditionDto) }, { $ref: getSchemaPath(ConditionGroupDto) }] },
    example: [{ field: 'customFields.plan', op: 'in', value: ['gold', 'platinum'] }],
  })
  any?: unknown[];
}

export class ActionDto {
  @ApiProperty({ enum: ACTIONS.map((a) => a.type), example: 'add_tag' }) type: string;
  @ApiProperty({
    description: "The action's parameters, as its `params` schema in the catalog says",
    type: 'object',
    additionalProperties: true,
    example: { tag: 'routed' },
  })
  params: Record<string, unknown>;
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: MAX_DELAY_MINUTES,
    description: 'Run it this many minutes later',
    example: 0,
  })
  delayMinutes?: number;
}

const TRIGGER_EXAMPLE = { event: 'contact.created' };
const CONDITIONS_EXAMPLE = { all: [{ field: 'tags', op: 'contains', value: 'vip' }] };
const ACTIONS_EXAMPLE = [{ type: 'add_tag', params: { tag: 'routed' } }];

export class CreateAutomationDto {
  @ApiProperty({ example: 'Route VIPs' }) @IsString() @Length(1, 200) @Matches(/\S/, { message: 'name must not be blank' }) name: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'Tags new VIP contacts for the sales team' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;
  @ApiProperty({ example: true }) @IsBoolean() enabled: boolean;
  @ApiPropertyOptional({ type: 'integer', minimum: -1000, maximum: 1000, default: 0, description: 'Higher runs first', example: 10 })
  @IsOptionalNonNull()
  @IsInt()
  @Min(-1000)
  @Max(1000)
  priority?: number;
  @ApiProperty({ type: TriggerDto, example: TRIGGER_EXAMPLE }) @IsObject() trigger: Record<string, unknown>;
  @ApiPropertyOptional({ type: ConditionGroupDto, example: CONDITIONS_EXAMPLE }) @IsOptionalNonNull() @IsObject() conditions?: Record<
    string,
    unknown
  >;
  @ApiProperty({ type: [ActionDto], example: ACTIONS_EXAMPLE }) @IsArray() actions: unknown[];
}

export class UpdateAutomationDto {
  @ApiPropertyOptional({ example: 'Route VIPs' }) @IsOptionalNonNull() @IsString() @Length(1, 200) @Matches(/\S/) name?: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'Tags new VIP contacts' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;
  @ApiPropertyOptional({ example: false }) @IsOptionalNonNull() @IsBoolean() enabled?: boolean;
  @ApiPropertyOptional({ type: 'integer', minimum: -1000, maximum: 1000, example: 5 })
  @IsOptionalNonNull()
  @IsInt()
  @Min(-1000)
  @Max(1000)
  priority?: number;
  @ApiPropertyOptional({ type: TriggerDto, example: TRIGGER_EXAMPLE }) @IsOptionalNonNull() @IsObject() trigger?: Record<string, unknown>;
  @ApiPropertyOptional({ type: ConditionGroupDto, example: CONDITIONS_EXAMPLE }) @IsOptionalNonNull() @IsObject() conditions?: Record<
    string,
    unknown
  >;
  @ApiPropertyOptional({ type: [ActionDto], example: ACTIONS_EXAMPLE }) @IsOptionalNonNull() @IsArray() actions?: unknown[];
  @ApiPropertyOptional({ description: 'The version you read; a mismatch answers 409' })
  @IsOptionalNonNull()
  @IsInt()
  @Min(1)
  version?: number;
}

export class SampleEventDto {
  @ApiProperty({ description: 'An event type (or `schedule`)', example: 'contact.created' }) @IsString() @Length(1, 100) type: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: "The event's payload", example: { name: 'Ada' } })
  @IsOptionalNonNull()
  @IsObject()
  data?: Record<string, unknown>;
  @ApiPropertyOptional({ format: 'uuid', description: 'The contact the event concerns: its current fields are read' })
  @IsOptionalNonNull()
  @IsUUID()
  contactId?: string;
}

export class TestAutomationDto {
  @ApiProperty({ type: SampleEventDto }) @IsObject() @ValidateNested() @Type(() => SampleEventDto) event: SampleEventDto;
}
