import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// What the contacts routes return; each class mirrors a view: toContactView, and the controllers' `view`s.

/** A contact (toContactView). */
export class ContactResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true, example: 'Grace Hopper' }) name: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Lower-cased', example: 'grace@example.com' }) email: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'E.164', example: '+14155552671' }) phone: string | null;
  @ApiProperty({ type: String, nullable: true }) externalId: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'whatsapp' }) sourceChannel: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'en' }) language: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'America/Sao_Paulo' }) timezone: string | null;
  @ApiProperty({ type: [String], example: ['vip'] }) tags: string[];
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Values of the custom fields defined for the project, by key',
    example: { plan: 'pro' },
  })
  customFields: Record<string, unknown>;
  @ApiProperty({ type: String, nullable: true }) profilePictureUrl: string | null;
  @ApiProperty({
    type: 'object',
    nullable: true,
    description:
      "Where the contact first came from: the click-to-WhatsApp ad of the first message that carried one (`at`: that message's time). Set once, never overwritten.",
    required: ['source', 'at'],
    properties: {
      source: { type: 'string', example: 'meta_ads' },
      adId: { type: 'string' },
      ctwaClid: { type: 'string' },
      sourceUrl: { type: 'string' },
      conversionSource: { type: 'string' },
      at: { type: 'string', format: 'date-time' },
    },
    example: { source: 'meta_ads', adId: '120210000000000', ctwaClid: 'ARAkLkA', at: '2025-09-23T14:10:37.000Z' },
  })
  firstTouch: object | null;
  @ApiProperty({ type: 'integer', minimum: 1, example: 1, description: 'Also the ETag of single-contact responses' }) version: number;
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: 'Absent on a rebuilt version (GET /contacts/{id}/versions/{version})',
  })
  createdAt?: Date;
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: 'Absent on a rebuilt version (GET /contacts/{id}/versions/{version})',
  })
  updatedAt?: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Set on deleted contacts (GET /contacts?deleted=true)' })
  deletedAt: Date | null;
}

/** An entry of a contact's timeline. */
export class TimelineEntryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'The domain event type', example: 'contact.updated' }) type: string;
  @ApiProperty({ description: '`lifecycle`, `lists`, `messages`, `conversations`, `pipelines` or `notes`', example: 'lifecycle' })
  category: string;
  @ApiProperty({ example: 'Contact updated: email' }) title: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "The event's data" }) payload: Record<string, unknown>;
  @ApiProperty({
    description: '`api` when a credential caused it, `channel` when it came through a messaging channel, else `system`',
    example: 'api',
  })
  source: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The user behind the change' }) triggeredBy: string | null;
  @ApiProperty({ format: 'uuid', description: 'The domain event' }) eventId: string;
  @ApiProperty({ type: String, format: 'date-time' }) occurredAt: Date;
}

/** A contact list. */
export class ContactListResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Newsletter' }) name: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Live (not deleted) contacts in the list' }) contactCount: number;
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 }) version: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deletedAt: Date | null;
}

/** The outcome of adding contacts to a list or removing them from it. */
export class ListMembershipResponse {
  @ApiProperty({
    type: [String],
    format: 'uuid',
    description: 'The contacts actually added (not members before) or removed (members before)',
  })
  changed: string[];
}

/** A custom field definition. */
export class CustomFieldResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'plan' }) key: string;
  @ApiProperty({ example: 'Plan' }) label: string;
  @ApiProperty({ enum: ['text', 'number', 'boolean', 'date'] }) type: 'text' | 'number' | 'boolean' | 'date';
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 }) version: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
}
