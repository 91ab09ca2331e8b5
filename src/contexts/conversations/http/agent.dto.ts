import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Length, MaxLength, Min } from 'class-validator';
import { PageQuery } from '#http';
import { IsOptionalNonNull } from '#http/validation';
import { CREATABLE_AGENT_TYPES } from '../domain/agent';

const CONFIG_EXAMPLE = { model: 'gpt-4o-mini', prompt: 'Answer questions about opening hours' };

export class ListAgentsDto extends PageQuery {
  @ApiPropertyOptional({ enum: ['human', 'ai', 'bot', 'system'] })
  @IsOptional()
  @IsIn(['human', 'ai', 'bot', 'system'])
  type?: 'human' | 'ai' | 'bot' | 'system';
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only the active (or the inactive) agents' })
  @IsOptional()
  @IsIn(['true', 'false'])
  active?: 'true' | 'false';
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'List deleted agents (to restore them) instead of live ones' })
  @IsOptional()
  @IsIn(['true', 'false'])
  deleted?: 'true' | 'false';
}

export class CreateAgentDto {
  @ApiProperty({ enum: CREATABLE_AGENT_TYPES, example: 'ai', description: 'System agents are seeded per project, never created' })
  @IsIn(CREATABLE_AGENT_TYPES)
  type: 'human' | 'ai' | 'bot';
  @ApiProperty({ example: 'Opening-hours assistant' }) @IsString() @Length(1, 200) name: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'assistant@example.com' })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string | null;
  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'A human agent only: the project member it belongs to (who has no agent yet)',
  })
  @IsOptional()
  @IsUUID()
  userId?: string | null;
  @ApiPropertyOptional({ example: true }) @IsOptionalNonNull() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: CONFIG_EXAMPLE,
    description: 'Settings of AI and bot agents',
  })
  @IsOptionalNonNull()
  @IsObject()
  config?: Record<string, unknown>;
}

export class UpdateAgentDto {
  @ApiPropertyOptional({ example: 'Night-shift assistant' }) @IsOptionalNonNull() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'null removes it' })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string | null;
  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    description: 'Links an unlinked human agent to a member; an agent linked to a user stays theirs (409)',
  })
  @IsOptionalNonNull()
  @IsUUID()
  userId?: string;
  @ApiPropertyOptional({ example: false, description: 'Inactive agents get no sessions and send no messages' })
  @IsOptionalNonNull()
  @IsBoolean()
  active?: boolean;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: CONFIG_EXAMPLE, description: 'Replaces the settings' })
  @IsOptionalNonNull()
  @IsObject()
  config?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'The version you read; a mismatch answers 409' })
  @IsOptionalNonNull()
  @IsInt()
  @Min(1)
  version?: number;
}
