import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, Length, MaxLength, Min } from 'class-validator';
import { IsOptionalNonNull, PageQuery } from '#http';
import { DELIVERY_STATUSES, DeliveryStatus } from '../application/webhooks.ports';
import { MAX_EVENT_PATTERNS } from '../domain/event-filter';

const EVENTS_DESCRIPTION = 'Event types (`message.received`), prefix patterns (`contact.*`) or `*` for every event of the project';

export class CreateWebhookSubscriptionDto {
  @ApiProperty({ description: 'http(s); must not resolve to a private address', example: 'https://hooks.example.com/crm' })
  @IsString()
  @Length(1, 2000)
  url: string;
  @ApiProperty({ type: [String], description: EVENTS_DESCRIPTION, example: ['contact.*', 'message.received'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_EVENT_PATTERNS)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  events: string[];
  @ApiPropertyOptional({ type: String, nullable: true, example: 'Data warehouse sync' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;
}

export class UpdateWebhookSubscriptionDto {
  @ApiPropertyOptional({ example: 'https://hooks.example.com/crm-v2' }) @IsOptionalNonNull() @IsString() @Length(1, 2000) url?: string;
  @ApiPropertyOptional({ type: [String], description: EVENTS_DESCRIPTION, example: ['*'] })
  @IsOptionalNonNull()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_EVENT_PATTERNS)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  events?: string[];
  @ApiPropertyOptional({ type: String, nullable: true, description: 'null removes it' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;
  @ApiPropertyOptional({ description: 'The version you read; a mismatch answers 409' })
  @IsOptionalNonNull()
  @IsInt()
  @Min(1)
  version?: number;
}

export class ListDeliveriesDto extends PageQuery {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES, description: 'Only the deliveries in this status' })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;
}
