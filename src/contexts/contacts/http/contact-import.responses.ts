import { ApiProperty } from '@nestjs/swagger';

// What the import routes return: ImportView.

export class RejectedRowResponse {
  @ApiProperty({ type: 'integer', description: 'The line of the upload where the row starts (a CSV header is line 1)', example: 3 })
  row: number;
  @ApiProperty({
    description:
      'What the create route would answer for this row (`validation`, `contact.invalid_phone`, ...), or `contact_import.malformed_row`',
    example: 'contact.invalid_phone',
  })
  code: string;
  @ApiProperty({ example: '"12" is not a valid phone number; use the international format, e.g. +14155552671' }) message: string;
}

export class ImportResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['csv', 'ndjson'] }) format: string;
  @ApiProperty({ enum: ['upsert', 'create_only'] }) mode: string;
  @ApiProperty({
    enum: ['running', 'completed', 'failed', 'cancelled'],
    description: 'An import whose server stopped mid-upload reads as `failed` within a few minutes',
  })
  status: string;
  @ApiProperty({ type: 'integer', description: 'Rows committed so far: created + updated + unchanged + rejected', example: 3 })
  rowsRead: number;
  @ApiProperty({ type: 'integer', example: 1 }) created: number;
  @ApiProperty({ type: 'integer', example: 1 }) updated: number;
  @ApiProperty({ type: 'integer', description: 'Rows that matched a contact already holding every value they carry', example: 0 })
  unchanged: number;
  @ApiProperty({ type: 'integer', example: 1 }) rejected: number;
  @ApiProperty({ type: [RejectedRowResponse], description: 'The first 1000 rejected rows, in upload order (`rejected` counts all)' })
  rejectedRows: RejectedRowResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Why a failed import stopped' }) error: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt: Date | null;
}
