import { ApiProperty } from '@nestjs/swagger';

export class SessionResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ format: 'uuid' }) channelId: string;
  @ApiProperty({ format: 'uuid' }) chatId: string;
  @ApiProperty({ enum: ['active', 'ended'] }) status: string;
  @ApiProperty({ type: String, format: 'date-time' }) startedAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) lastMessageAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) endedAt: Date | null;
  @ApiProperty({
    type: String,
    enum: ['inactivity_timeout', 'manual'],
    nullable: true,
    description: 'inactivity_timeout: no message for timeoutMinutes; manual: closed through the API',
  })
  endReason: string | null;
  @ApiProperty({ type: 'integer', minimum: 0, example: 3 }) inboundCount: number;
  @ApiProperty({ type: 'integer', minimum: 0, example: 2 }) outboundCount: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'The first outbound message after an inbound one' })
  firstResponseAt: Date | null;
  @ApiProperty({ type: 'integer', nullable: true, minimum: 0, example: 42, description: 'Seconds from the start to the first response' })
  firstResponseSeconds: number | null;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    example: 600,
    description: 'Seconds from the start to the end, or to the last message while active',
  })
  durationSeconds: number;
  @ApiProperty({ type: 'integer', minimum: 1, example: 30, description: 'Idle minutes after which it ends' }) timeoutMinutes: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The agent it is assigned to (null until assigned)' })
  agentId: string | null;
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 }) version: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
}
