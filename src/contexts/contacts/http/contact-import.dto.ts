import { ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ListContactsDto } from './contact.dto';

export class ImportContactsQueryDto {
  @ApiPropertyOptional({
    enum: ['upsert', 'create_only'],
    default: 'upsert',
    description: '`create_only`: a row matching an existing contact is rejected (as a duplicate) instead of updating it',
  })
  @IsOptional()
  @IsIn(['upsert', 'create_only'])
  mode?: 'upsert' | 'create_only';
}

/** The list's filters, without its pagination: an export streams every matching contact. */
export class ExportContactsDto extends OmitType(ListContactsDto, ['limit', 'cursor'] as const) {
  @ApiPropertyOptional({ enum: ['csv', 'ndjson'], default: 'csv' }) @IsOptional() @IsIn(['csv', 'ndjson']) format?: 'csv' | 'ndjson';
}
