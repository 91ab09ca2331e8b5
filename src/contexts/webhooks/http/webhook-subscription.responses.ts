import { ApiProperty } from '@nestjs/swagger';
import { DELIVERY_STATUSES } from '../application/webhooks.ports';
import { WEBHOOK_SUBSCRIPTION_STATUSES } from '../webhooks.events';

/** A subscription: never its secrets (only creation and rotation show the new one, once). */
export class WebhookSubscriptionResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'https://hooks.example.com/crm' }) url: string;
  @ApiProperty({ type: [String], example: ['contact.*', 'message.received'] }) events: string[];
  @ApiProperty({ type: String, nullable: true, example: 'Data warehouse sync' }) description: string | null;
  @ApiProperty({
    enum: WEBHOOK_SUBSCRIPTION_STATUSES,
    example: 'active',
    description: 'paused by a user, or disabled after failing for days (see disabledReason); resume makes it active again',
  })
  status: string;
  @ApiProperty({ type: String, nullable: true, description: 'Why deliveries stopped, when disabled', example: null })
  disabledReason: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Every delivery has failed since then', example: null })
  failingSince: Date | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'After a rotation: the previous secret also signs (a second signature) until then',
    example: null,
  })
  previousSecretExpiresAt: Date | null;
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 }) version: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
}

export class WebhookSubscriptionWithSecretResponse extends WebhookSubscriptionResponse {
  @ApiProperty({
    description: 'The signing secret (Standard Webhooks): shown only now, store it',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  })
  secret: string;
}

export class WebhookDeliveryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) subscriptionId: string;
  @ApiProperty({
    description: 'The webhook-id header: the event id, the same on every attempt',
    example: '0199a6f2-3c1e-7b4a-9f10-2d1c4b5e6f70',
  })
  eventId: string;
  @ApiProperty({ example: 'contact.created' }) eventType: string;
  @ApiProperty({ enum: DELIVERY_STATUSES, example: 'succeeded' }) status: string;
  @ApiProperty({ type: 'integer', minimum: 0, example: 1 }) attempts: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When pending: the next attempt', example: null })
  nextAttemptAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastAttemptAt: Date | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'The last answer’s HTTP status', example: 200 }) responseStatus:
    number | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'The last attempt’s duration', example: 42 }) durationMs: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why the last attempt failed', example: null }) error: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deliveredAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}
