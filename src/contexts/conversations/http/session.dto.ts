import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQuery } from '#http';

export class ListSessionsDto extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the sessions of this contact' }) @IsOptional() @IsUUID() contactId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the sessions of this chat' }) @IsOptional() @IsUUID() chatId?: string;
  @ApiPropertyOptional({ enum: ['active', 'ended'] }) @IsOptional() @IsIn(['active', 'ended']) status?: 'active' | 'ended';
}

export class AssignSessionDto {
  @ApiProperty({ format: 'uuid', description: 'An active agent of the project' }) @IsUUID() agentId: string;
}
