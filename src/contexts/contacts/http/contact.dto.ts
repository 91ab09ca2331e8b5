import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  Min,
  ArrayMinSize,
} from 'class-validator';
import { IsOptionalNonNull } from '#http/validation';
import { PageQuery } from '#http/pagination';

export class ContactFieldsDto {
  @ApiPropertyOptional({ type: String, nullable: true, example: 'Grace Hopper' }) @IsOptional() @IsString() @MaxLength(200) name?:
    string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'grace@example.com' }) @IsOptional() @IsString() @MaxLength(254) email?:
    string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Stored in E.164', example: '+14155552671' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  phone?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @MaxLength(200) externalId?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'whatsapp' }) @IsOptional() @IsString() @MaxLength(50) sourceChannel?:
    string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'en' }) @IsOptional() @IsString() @MaxLength(20) language?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'America/Sao_Paulo' }) @IsOptional() @IsString() @MaxLength(64) timezone?:
    string | null;
  @ApiPropertyOptional({ type: [String], example: ['vip'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  tags?: string[];
  @ApiPropertyOptional({ description: 'Values of custom fields defined for the project; null removes one', example: { plan: 'pro' } })
  @IsOptional()
  @IsObject()
  // The value as sent: class-transformer would otherwise skip keys a plain object already answers (`constructor`,
  // `toString`), dropping their values without a word; the domain refuses such keys instead.
  @Transform(({ obj }: { obj: { customFields?: unknown } }) => obj.customFields)
  customFields?: Record<string, unknown>;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @MaxLength(2000) profilePictureUrl?: string | null;
}

export class CreateContactDto extends ContactFieldsDto {}

export class UpdateContactDto extends ContactFieldsDto {
  @ApiPropertyOptional({ description: 'The version you read; a mismatch answers 409' })
  @IsOptionalNonNull()
  @IsInt()
  @Min(1)
  version?: number;
}

export class ListContactsDto extends PageQuery {
  @ApiPropertyOptional({ description: 'Text search over name, email and phone' }) @IsOptional() @IsString() @Length(1, 200) q?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 64) tag?: string;
  @ApiPropertyOptional({ description: 'A custom field value, as key:value', example: 'plan:pro' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-zA-Z][\w-]{0,63}:.{1,200}$/, { message: 'customField must be key:value' })
  customField?: string;
  @ApiPropertyOptional({ description: 'List deleted contacts (to restore them) instead of live ones' })
  @IsOptional()
  @Transform(({ value }) => value === true || value === 'true')
  @IsBoolean()
  deleted?: boolean;
}

export class CreateListDto {
  @ApiProperty() @IsString() @Length(1, 200) name: string;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @MaxLength(2000) description?: string | null;
}

export class UpdateListDto {
  @ApiPropertyOptional() @IsOptionalNonNull() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @MaxLength(2000) description?: string | null;
  @ApiPropertyOptional() @IsOptionalNonNull() @IsInt() @Min(1) version?: number;
}

export class ListMembersDto {
  @ApiProperty({ type: 'string', format: 'uuid', isArray: true, minItems: 1, maxItems: 1000 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  contactIds: string[];
}

export class DefineCustomFieldDto {
  @ApiProperty({ example: 'plan' })
  @IsString()
  @Matches(/^[a-zA-Z][\w-]{0,63}$/, { message: 'key must start with a letter; letters, digits, _ and - only' })
  key: string;
  @ApiProperty({ example: 'Plan' }) @IsString() @Length(1, 200) label: string;
  @ApiProperty({ enum: ['text', 'number', 'boolean', 'date'] }) @IsIn(['text', 'number', 'boolean', 'date']) type:
    'text' | 'number' | 'boolean' | 'date';
}

export class RelabelCustomFieldDto {
  @ApiProperty() @IsString() @Length(1, 200) label: string;
  @ApiPropertyOptional() @IsOptionalNonNull() @IsInt() @Min(1) version?: number;
}
