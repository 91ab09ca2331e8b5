import { ApiProperty } from '@nestjs/swagger';

/** A note on a contact (NoteView). */
export class NoteResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ example: 'Asked for a quote for 20 seats' }) text: string;
  @ApiProperty({ description: 'Pinned notes are listed first' }) pinned: boolean;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The user who wrote it; null when an automation did' })
  authorId: string | null;
  @ApiProperty({ type: 'integer', minimum: 1, example: 1, description: 'Also the ETag' }) version: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
}
