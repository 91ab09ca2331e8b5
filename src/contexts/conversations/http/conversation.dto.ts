import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQuery } from '#http';

export class ListChatsDto extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the chats of this contact' }) @IsOptional() @IsUUID() contactId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the chats of this channel' }) @IsOptional() @IsUUID() channelId?: string;
  @ApiPropertyOptional({ enum: ['direct', 'group'] }) @IsOptional() @IsIn(['direct', 'group']) type?: 'direct' | 'group';
}
