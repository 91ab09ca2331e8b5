import { ApiProperty } from '@nestjs/swagger';
import { CHANNEL_STATUSES } from '../channels.events';

export class ChannelConfigResponse {
  @ApiProperty({ example: 'http://waha:3000' }) baseUrl: string;
  @ApiProperty({ example: 'default' }) session: string;
}

/** A channel: never its secrets, only whether it has them. */
export class ChannelResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Sales WhatsApp' }) name: string;
  @ApiProperty({ enum: ['waha'] }) type: string;
  @ApiProperty({ enum: CHANNEL_STATUSES, example: 'inactive' }) status: string;
  @ApiProperty({ description: 'Activated and not deactivated since: only then do the session states WAHA reports move `status`' })
  enabled: boolean;
  @ApiProperty({ type: ChannelConfigResponse }) config: ChannelConfigResponse;
  @ApiProperty() hasApiKey: boolean;
  @ApiProperty() hasWebhookSecret: boolean;
  @ApiProperty({
    description: "Where WAHA posts this channel's events (absolute when PUBLIC_URL is configured); the token in it is the credential",
    example: 'https://crm.example.com/api/v1/webhooks/waha/3q2-7wEJ...',
  })
  webhookUrl: string;
  @ApiProperty({ type: 'integer', nullable: true, example: 30 }) sessionTimeoutMinutes: number | null;
  @ApiProperty({ type: 'integer', example: 15000 }) debounceMs: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) pipelineId: string | null;
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 }) version: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
}

export class WebhookAcceptedResponse {
  @ApiProperty({ format: 'uuid', description: 'The inbox entry' }) id: string;
  @ApiProperty({ enum: ['accepted'] }) status: string;
}
