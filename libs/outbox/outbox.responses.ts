import { ApiProperty } from '@nestjs/swagger';

/** An outbox event of the caller's tenant, as GET /outbox lists it. */
export class OutboxEventResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty({ example: 'contact.created' }) type: string;
  @ApiProperty({ example: 'contact' }) aggregateType: string;
  @ApiProperty({ format: 'uuid' }) aggregateId: string;
  @ApiProperty({ enum: ['pending', 'processing', 'processed', 'failed'], description: '`failed`: dead-lettered, see lastError' })
  status: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) retryCount: number;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty({ type: String, format: 'date-time', description: 'When the relay next tries it; while processing, the end of its lease' })
  nextAttemptAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) processedAt: Date | null;
}

/** A dead letter queued again by POST /outbox/{id}/replay. */
export class OutboxReplayResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['pending'] }) status: 'pending';
}
