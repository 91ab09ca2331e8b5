import { ApiProperty } from '@nestjs/swagger';

const MESSAGE_TYPES = ['text', 'image', 'video', 'audio', 'voice', 'document', 'sticker', 'location', 'contact_card', 'unknown'];
const MESSAGE_STATUSES = ['failed', 'pending', 'sent', 'delivered', 'read', 'played'];

export class ChatResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) channelId: string;
  @ApiProperty({ description: "The provider's chat id", example: '5511987654321@c.us' }) externalId: string;
  @ApiProperty({ enum: ['direct', 'group'] }) type: string;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The other person of a direct chat, when their phone is known',
  })
  contactId: string | null;
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 }) version: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
}

export class MessageResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) chatId: string;
  @ApiProperty({ format: 'uuid' }) channelId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The conversation session (not assigned yet)' })
  sessionId: string | null;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      "The group of the contact's rapid inbound messages (within the channel's debounceMs of each other) it belongs to; null for outbound and group-chat messages",
  })
  messageGroupId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Who wrote it (inbound) or to whom (outbound), when known' })
  contactId: string | null;
  @ApiProperty({ enum: ['inbound', 'outbound'], description: 'outbound: written from the channel’s phone' }) direction: string;
  @ApiProperty({ enum: MESSAGE_TYPES }) type: string;
  @ApiProperty({ type: String, nullable: true, description: 'The body, or the caption of a media message', example: 'Hello' })
  text: string | null;
  @ApiProperty({
    type: 'object',
    nullable: true,
    required: ['url', 'mimetype'],
    properties: { url: { type: 'string' }, mimetype: { type: 'string' }, filename: { type: 'string' } },
    example: { url: 'http://waha:3000/api/files/a.jpg', mimetype: 'image/jpeg' },
  })
  media: object | null;
  @ApiProperty({
    type: 'object',
    nullable: true,
    required: ['latitude', 'longitude'],
    properties: { latitude: { type: 'number' }, longitude: { type: 'number' }, name: { type: 'string' }, address: { type: 'string' } },
    example: { latitude: -23.55, longitude: -46.63 },
  })
  location: object | null;
  @ApiProperty({ type: [String], nullable: true, description: 'vCards of a contact card message' }) contacts: string[] | null;
  @ApiProperty({ enum: MESSAGE_STATUSES, description: 'Moves only forward with delivery reports' }) status: string;
  @ApiProperty({ description: "The provider's message id, unique per channel", example: 'false_5511987654321@c.us_3EB0C0' })
  externalId: string;
  @ApiProperty({ description: 'The bare WhatsApp message id', example: '3EB0C0' }) waMessageId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) replyToMessageId: string | null;
  @ApiProperty({
    type: 'object',
    nullable: true,
    description: 'A click-to-WhatsApp ad lead',
    required: ['source'],
    properties: {
      source: { type: 'string', enum: ['meta_ads'] },
      adId: { type: 'string' },
      ctwaClid: { type: 'string' },
      sourceUrl: { type: 'string' },
      conversionSource: { type: 'string' },
    },
    example: { source: 'meta_ads', adId: '120210000000000' },
  })
  attribution: object | null;
  @ApiProperty({
    type: 'object',
    description: 'The reactions by who reacted (their WhatsApp id, `me` for the channel)',
    additionalProperties: {
      type: 'object',
      required: ['emoji', 'at'],
      properties: { emoji: { type: 'string' }, at: { type: 'string', format: 'date-time' } },
    },
    example: { '5511987654321@c.us': { emoji: '👍', at: '2025-09-23T14:10:37.000Z' } },
  })
  reactions: object;
  @ApiProperty({ type: String, format: 'date-time' }) sentAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) editedAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt: Date | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The user who sent it through the API' })
  sentByUserId: string | null;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: "The agent it was sent as: the user's agent for a user token, the project's API agent for an API key",
  })
  sentByAgentId: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why the send failed (status failed)', example: null })
  error: string | null;
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 }) version: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
}
