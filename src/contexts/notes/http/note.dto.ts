import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, Length, Min } from 'class-validator';
import { IsOptionalNonNull } from '#http/validation';

export class CreateNoteDto {
  @ApiProperty({ example: 'Asked for a quote for 20 seats', minLength: 1, maxLength: 20000 }) @IsString() @Length(1, 20000) text: string;
  @ApiPropertyOptional({ default: false, description: 'Pinned notes are listed first' }) @IsOptional() @IsBoolean() pinned?: boolean;
}

export class UpdateNoteDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 20000 }) @IsOptionalNonNull() @IsString() @Length(1, 20000) text?: string;
  @ApiPropertyOptional() @IsOptionalNonNull() @IsBoolean() pinned?: boolean;
  @ApiPropertyOptional({ description: 'The version you read; a mismatch answers 409' })
  @IsOptionalNonNull()
  @IsInt()
  @Min(1)
  version?: number;
}
