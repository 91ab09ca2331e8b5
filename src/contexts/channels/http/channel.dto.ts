import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Length, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsOptionalNonNull } from '#http/validation';

export class ChannelConfigDto {
  @ApiProperty({ description: "WAHA's base URL", example: 'http://waha:3000' }) @IsString() @Length(1, 2000) baseUrl: string;
  @ApiProperty({ description: 'The WAHA session', example: 'default' }) @IsString() @Length(1, 200) session: string;
  @ApiPropertyOptional({ description: "WAHA's X-Api-Key; stored encrypted, never returned", example: 'waha-api-key' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  apiKey?: string;
  @ApiPropertyOptional({
    description:
      'The HMAC key WAHA signs deliveries with (X-Webhook-Hmac); stored encrypted, never returned. Made at activation when absent.',
    example: 'a long random secret',
  })
  @IsOptional()
  @IsString()
  @Length(16, 500)
  webhookSecret?: string;
}

export class CreateChannelDto {
  @ApiProperty({ example: 'Sales WhatsApp' }) @IsString() @Length(1, 200) name: string;
  @ApiProperty({ enum: ['waha'], example: 'waha' }) @IsIn(['waha']) type: 'waha';
  @ApiProperty({ type: ChannelConfigDto }) @IsObject() @ValidateNested() @Type(() => ChannelConfigDto) config: ChannelConfigDto;
  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 1, maximum: 10080, example: 30 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10080)
  sessionTimeoutMinutes?: number | null;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 600000, example: 15000 })
  @IsOptionalNonNull()
  @IsInt()
  @Min(0)
  @Max(600_000)
  debounceMs?: number;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true }) @IsOptional() @IsUUID() pipelineId?: string | null;
}

export class ChannelConfigPatchDto {
  @ApiPropertyOptional({ example: 'http://waha:3000' }) @IsOptionalNonNull() @IsString() @Length(1, 2000) baseUrl?: string;
  @ApiPropertyOptional({ example: 'default' }) @IsOptionalNonNull() @IsString() @Length(1, 200) session?: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'null removes it' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  apiKey?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'null removes it' })
  @IsOptional()
  @IsString()
  @Length(16, 500)
  webhookSecret?: string | null;
}

export class UpdateChannelDto {
  @ApiPropertyOptional({ example: 'Support WhatsApp' }) @IsOptionalNonNull() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional({ type: ChannelConfigPatchDto })
  @IsOptionalNonNull()
  @IsObject()
  @ValidateNested()
  @Type(() => ChannelConfigPatchDto)
  config?: ChannelConfigPatchDto;
  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 1, maximum: 10080 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10080)
  sessionTimeoutMinutes?: number | null;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 600000 })
  @IsOptionalNonNull()
  @IsInt()
  @Min(0)
  @Max(600_000)
  debounceMs?: number;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true }) @IsOptional() @IsUUID() pipelineId?: string | null;
  @ApiPropertyOptional({ description: 'The version you read; a mismatch answers 409' })
  @IsOptionalNonNull()
  @IsInt()
  @Min(1)
  version?: number;
}
