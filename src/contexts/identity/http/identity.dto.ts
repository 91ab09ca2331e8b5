import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDate,
  IsEmail,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxDate,
  MaxLength,
  Min,
  MinDate,
  MinLength,
} from 'class-validator';
import { IsOptionalNonNull } from '#http/validation';
import { PROJECT_ROLES, ProjectRole } from '#tenancy';

export class RegisterDto {
  @ApiProperty({ example: 'ada@example.com' }) @IsEmail() @MaxLength(254) email: string;
  @ApiProperty({ minLength: 10, maxLength: 200 }) @IsString() @Length(10, 200) password: string;
  @ApiProperty({ example: 'Ada Lovelace' }) @IsString() @Length(1, 200) @Matches(/\S/, { message: 'name must not be blank' }) name: string;
  @ApiProperty({ example: 'Analytical Engines Ltd' })
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'tenantName must not be blank' })
  tenantName: string;
}

export class LoginDto {
  @ApiProperty() @IsEmail() email: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) password: string;
}

export class CreateApiKeyDto {
  @ApiProperty({ example: 'CI importer' }) @IsString() @Length(1, 100) name: string;
  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptionalNonNull()
  @Type(() => Date)
  @IsDate()
  @MinDate(() => new Date(), { message: 'expiresAt must be in the future' })
  @MaxDate(new Date('9999-12-31T00:00:00Z'))
  expiresAt?: Date;
}

class ProjectFieldsDto {
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @MaxLength(2000) description?: string | null;
  @ApiPropertyOptional() @IsOptionalNonNull() @IsObject() configuration?: Record<string, unknown>;
  @ApiPropertyOptional() @IsOptionalNonNull() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ minimum: 1, maximum: 10080 }) @IsOptionalNonNull() @IsInt() @Min(1) @Max(10080) sessionTimeoutMinutes?: number;
}

export class CreateProjectDto extends ProjectFieldsDto {
  @ApiProperty() @IsString() @Length(1, 200) @Matches(/\S/, { message: 'name must not be blank' }) name: string;
}

export class UpdateProjectDto extends ProjectFieldsDto {
  @ApiPropertyOptional() @IsOptionalNonNull() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional({ description: 'The version you read; a mismatch answers 409' })
  @IsOptionalNonNull()
  @IsInt()
  @Min(1)
  version?: number;
}

export class AddMemberDto {
  @ApiProperty() @IsEmail() email: string;
  @ApiProperty({ enum: PROJECT_ROLES }) @IsIn(PROJECT_ROLES) role: ProjectRole;
}

export class UpdateMemberDto {
  @ApiProperty({ enum: PROJECT_ROLES }) @IsIn(PROJECT_ROLES) role: ProjectRole;
  @ApiPropertyOptional() @IsOptionalNonNull() @IsInt() @Min(1) version?: number;
}
