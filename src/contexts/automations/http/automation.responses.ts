import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { MAX_DELAY_MINUTES } from '../domain/automation-catalog';
import { ActionDto, conditionValueSchema, ConditionGroupDto, TriggerDto } from './automation.dto';

export class AutomationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Route VIPs' }) name: string;
  @ApiProperty({ type: String, nullable: true, example: 'Tags new VIP contacts for the sales team' }) description: string | null;
  @ApiProperty({ example: true }) enabled: boolean;
  @ApiProperty({ type: 'integer', example: 10 }) priority: number;
  @ApiProperty({ type: TriggerDto, example: { event: 'contact.created' } }) trigger: TriggerDto;
  @ApiProperty({ type: ConditionGroupDto, example: { all: [{ field: 'tags', op: 'contains', value: 'vip' }] } })
  conditions: ConditionGroupDto;
  @ApiProperty({ type: [ActionDto], example: [{ type: 'add_tag', params: { tag: 'routed' } }] }) actions: ActionDto[];
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 }) version: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deletedAt: Date | null;
}

export class ActionOutcomeResponse {
  @ApiProperty({ type: 'integer', example: 0 }) index: number;
  @ApiProperty({ example: 'add_tag' }) type: string;
  @ApiProperty({ enum: ['done', 'failed', 'scheduled', 'skipped'], example: 'done' }) status: string;
  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'When a delayed action is due' }) dueAt?: string;
  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'When it ran' }) at?: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'What it made (ids)',
    example: { noteId: '0193a1b2-0000-7000-8000-000000000001' },
  })
  result?: Record<string, unknown>;
  @ApiPropertyOptional({ example: 'contact.not_found: contact 0193a1b2-0000-7000-8000-000000000001 was not found' }) error?: string;
}

export class ExecutionResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) automationId: string;
  @ApiProperty({ format: 'uuid', description: 'The triggering event (or the schedule timer’s)' }) eventId: string;
  @ApiProperty({ example: 'contact.created' }) eventType: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) contactId: string | null;
  @ApiProperty({ type: 'integer', description: 'How many automation hops led to the event', example: 0 }) depth: number;
  @ApiProperty({ enum: ['succeeded', 'failed', 'depth_exceeded'], example: 'succeeded' }) status: string;
  @ApiProperty({ type: [ActionOutcomeResponse] }) actions: ActionOutcomeResponse[];
  @ApiProperty({ type: String, nullable: true, example: null }) error: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
}

export class CatalogTriggerResponse {
  @ApiProperty({ example: 'contact.created' }) trigger: string;
  @ApiProperty({ example: 'A contact was created' }) description: string;
  @ApiProperty({ description: 'Whether the event concerns a contact' }) hasContact: boolean;
}

export class CatalogFieldResponse {
  @ApiProperty({ description: '`<...>` marks a part you fill in', example: 'customFields.<key>' }) field: string;
  @ApiProperty({ example: 'A custom field of the contact' }) description: string;
  @ApiProperty({ description: "Read from the event's contact" }) contact: boolean;
}

export class CatalogOperatorResponse {
  @ApiProperty({ example: 'contains' }) op: string;
  @ApiProperty({ example: 'A list holds the value (tags), or a text contains it' }) description: string;
}

export class DelayRangeResponse {
  @ApiProperty({ type: 'integer', example: 0 }) minimum: number;
  @ApiProperty({ type: 'integer', example: MAX_DELAY_MINUTES }) maximum: number;
}

export class CatalogActionResponse {
  @ApiProperty({ example: 'add_tag' }) type: string;
  @ApiProperty({ example: 'Add a tag to the contact' }) description: string;
  @ApiProperty({ description: "Acts on the event's contact" }) contact: boolean;
  @ApiProperty({ type: DelayRangeResponse }) delayMinutes: DelayRangeResponse;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'A JSON schema of `params`',
    example: {
      type: 'object',
      additionalProperties: false,
      required: ['tag'],
      properties: { tag: { type: 'string', minLength: 1, maxLength: 100 } },
    },
  })
  params: Record<string, unknown>;
}

export class CatalogResponse {
  @ApiProperty({ type: [CatalogTriggerResponse] }) triggers: CatalogTriggerResponse[];
  @ApiProperty({ type: [CatalogFieldResponse] }) fields: CatalogFieldResponse[];
  @ApiProperty({ type: [CatalogOperatorResponse] }) operators: CatalogOperatorResponse[];
  @ApiProperty({ type: [CatalogActionResponse] }) actions: CatalogActionResponse[];
}

export class ActionPreviewResponse {
  @ApiProperty({ type: 'integer', example: 0 }) index: number;
  @ApiProperty({ example: 'add_tag' }) type: string;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { tag: 'routed' } }) params: Record<string, unknown>;
  @ApiProperty({ type: 'integer', example: 0 }) delayMinutes: number;
  @ApiProperty({ example: 'add the tag "routed" to contact 0193a1b2-0000-7000-8000-000000000001' }) wouldDo: string;
}

export class ConditionResultResponse {
  @ApiPropertyOptional({ example: 'tags' }) field?: string;
  @ApiPropertyOptional({ example: 'contains' }) op?: string;
  @ApiPropertyOptional({ ...conditionValueSchema(), example: 'vip' }) value?: unknown;
  @ApiPropertyOptional({
    oneOf: [...conditionValueSchema().oneOf, { type: 'object', additionalProperties: true }],
    description: "The field's value (absent when it has none)",
    example: ['vip'],
  })
  actual?: unknown;
  @ApiProperty({ example: true }) matched: boolean;
  @ApiPropertyOptional({ type: 'array', items: { $ref: '#/components/schemas/ConditionResultResponse' } }) all?: ConditionResultResponse[];
  @ApiPropertyOptional({ type: 'array', items: { $ref: '#/components/schemas/ConditionResultResponse' } }) any?: ConditionResultResponse[];
}

@ApiExtraModels(ConditionResultResponse)
export class AutomationTestResponse {
  @ApiProperty({ description: "Whether the event's type is the trigger" }) triggerMatched: boolean;
  @ApiProperty({ description: 'Whether the conditions hold' }) conditionsMatched: boolean;
  @ApiProperty({ description: 'Enabled, triggered, and the conditions hold' }) wouldRun: boolean;
  @ApiProperty({ allOf: [{ $ref: getSchemaPath(ConditionResultResponse) }], description: 'Each condition and group, with its outcome' })
  conditions: ConditionResultResponse;
  @ApiProperty({ type: [ActionPreviewResponse] }) actions: ActionPreviewResponse[];
}
