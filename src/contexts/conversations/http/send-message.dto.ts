import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, IsUrl, Matches, MaxLength, ValidateIf, ValidateNested } from 'class-validator';

export class OutboundMediaDto {
  @ApiProperty({ description: 'Where WAHA downloads the file from', example: 'https://example.com/catalog.pdf' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2048)
  url: string;

  @ApiProperty({
    description: 'image/* is sent as an image, video/* as a video, audio/* as a voice note, else a file',
    example: 'application/pdf',
  })
  @Matches(/^[\w.+-]+\/[\w.+-]+$/, { message: 'mimetype must look like type/subtype' })
  @MaxLength(255)
  mimetype: string;

  @ApiPropertyOptional({ example: 'catalog.pdf' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(255) filename?: string;
}

/** Either `chatId`, or `contactId` and `channelId`; either `text`, or `media` with an optional `caption`. */
export class SendMessageDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'An existing chat (else give contactId and channelId)' })
  @ValidateIf((o: SendMessageDto) => o.contactId === undefined && o.channelId === undefined)
  @IsUUID()
  chatId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "The contact to write to on channelId (their phone's WhatsApp chat)" })
  @ValidateIf((o: SendMessageDto) => o.chatId === undefined)
  @IsUUID()
  contactId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The channel to write from (with contactId)' })
  @ValidateIf((o: SendMessageDto) => o.chatId === undefined)
  @IsUUID()
  channelId?: string;

  @ApiPropertyOptional({ description: 'The text (else give media)', example: 'Hello!', maxLength: 4096 })
  @ValidateIf((o: SendMessageDto) => o.media === undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(4096)
  text?: string;

  @ApiPropertyOptional({ type: OutboundMediaDto, description: 'A file to send (else give text)' })
  @ValidateIf((o: SendMessageDto) => o.text === undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => OutboundMediaDto)
  media?: OutboundMediaDto;

  @ApiPropertyOptional({ description: 'The caption of media (not shown on voice notes)', maxLength: 1024 })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  caption?: string;
}
