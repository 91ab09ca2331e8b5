import { ApiProperty } from '@nestjs/swagger';

/** GET /health. */
export class LivenessResponse {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
}

/** GET /health/ready when ready (otherwise a 503 problem). */
export class ReadinessResponse {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
  @ApiProperty({ enum: ['up'] }) database: 'up';
  @ApiProperty({ enum: ['up', 'not-run'], description: '`not-run` where this process does not run the relay (ROLE=api)' }) relay:
    'up' | 'not-run';
  @ApiProperty({ type: [String], description: 'The outbox consumers this process delivers to', example: ['contacts.timeline'] })
  consumers: string[];
}
