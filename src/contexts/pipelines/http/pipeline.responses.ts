import { ApiProperty } from '@nestjs/swagger';

// What the pipelines routes return; each class mirrors a view of application/.

/** A status of a pipeline (PipelineStatusView). */
export class PipelineStatusResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'New' }) name: string;
  @ApiProperty({ enum: ['open', 'active', 'closed'] }) type: 'open' | 'active' | 'closed';
  @ApiProperty({ type: String, nullable: true, example: '#1e88e5' }) color: string | null;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Place on the board, 0 first' }) position: number;
  @ApiProperty({
    type: 'string',
    format: 'uuid',
    isArray: true,
    nullable: true,
    description: 'The statuses a contact in this one may move to; null: any',
  })
  allowedNext: string[] | null;
}

/** A pipeline with its live statuses in board order (PipelineView). */
export class PipelineResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Sales' }) name: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ type: String, nullable: true, example: '#43a047' }) color: string | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 30 }) sessionTimeoutMinutes: number | null;
  @ApiProperty({ type: [PipelineStatusResponse] }) statuses: PipelineStatusResponse[];
  @ApiProperty({ type: 'integer', minimum: 1, example: 1, description: 'Also the ETag; status changes move it on too' }) version: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deletedAt: Date | null;
}

/** A contact on the board (BoardContactView). */
export class BoardContactResponse {
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ type: String, format: 'date-time', description: 'When it entered the status' }) enteredAt: Date;
}

/** One column of the board. */
export class BoardColumnResponse extends PipelineStatusResponse {
  @ApiProperty({ type: 'integer', minimum: 0 }) contactCount: number;
  @ApiProperty({ type: [BoardContactResponse], description: 'The first page, longest in the status first' })
  contacts: BoardContactResponse[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as cursor to GET /pipelines/{id}/statuses/{statusId}/contacts for the next page; null on the last',
  })
  nextCursor: string | null;
}

/** A pipeline's board. */
export class BoardResponse {
  @ApiProperty({ format: 'uuid' }) pipelineId: string;
  @ApiProperty({ example: 'Sales' }) name: string;
  @ApiProperty({ type: [BoardColumnResponse], description: 'Live statuses in board order' }) statuses: BoardColumnResponse[];
}

/** A contact's current status in a pipeline (ContactStatusView). */
export class ContactStatusResponse {
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ format: 'uuid' }) pipelineId: string;
  @ApiProperty({ format: 'uuid' }) statusId: string;
  @ApiProperty({ example: 'Qualified' }) statusName: string;
  @ApiProperty({ type: String, format: 'date-time', description: 'When it entered the status' }) enteredAt: Date;
  @ApiProperty({ type: 'integer', minimum: 1, example: 1, description: "The version of the contact's place; also the ETag" })
  version: number;
}

/** One stay of a contact in a status (HistoryEntryView). */
export class PipelineHistoryEntryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) statusId: string;
  @ApiProperty({ example: 'New' }) statusName: string;
  @ApiProperty({ type: String, format: 'date-time' }) enteredAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Null while the contact is still in it' })
  exitedAt: Date | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'Milliseconds in the status; null while still in it', example: 3600000 })
  durationMs: number | null;
}
