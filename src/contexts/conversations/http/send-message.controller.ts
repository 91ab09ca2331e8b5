import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ValidationError } from '#kernel';
import type { Response } from 'express';
import { ApiIdempotent, ApiProblems, ApiProjectScoped, setEtag } from '#http';
import { RequestContext } from '#tenancy';
import { SendBody, SendMessageCommand, SendTarget } from '../application/send-message.command';
import { MessageResponse } from './conversation.responses';
import { SendMessageDto } from './send-message.dto';

@ApiTags('conversations')
@ApiProjectScoped()
@Controller('messages')
export class SendMessageController {
  constructor(
    private readonly commands: CommandBus,
    private readonly context: RequestContext,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Send a WhatsApp message to a chat, or to a contact on a channel; sent in the background (status pending, then sent or failed)',
  })
  @ApiResponse({
    status: 202,
    type: MessageResponse,
    description: 'Accepted: the message, pending until the channel sends it',
    headers: { ETag: { description: 'The message version, e.g. `"1"`', required: true, schema: { type: 'string', example: '"1"' } } },
  })
  @ApiIdempotent()
  @ApiProblems(403, 409)
  async send(@Body() dto: SendMessageDto, @Res({ passthrough: true }) res: Response) {
    const { tenantId, projectId, userId, kind } = this.context.principal;
    const scope = { tenantId, projectId, sender: { kind, userId } };
    const message = await this.commands.execute(new SendMessageCommand(scope, targetOf(dto), bodyOf(dto)));
    setEtag(res, message.version);
    return message;
  }
}

function targetOf(dto: SendMessageDto): SendTarget {
  if (dto.chatId !== undefined && (dto.contactId !== undefined || dto.channelId !== undefined))
    throw new ValidationError('message.ambiguous_target', 'give either chatId, or contactId and channelId');
  if (dto.chatId !== undefined) return { chatId: dto.chatId };
  return { contactId: dto.contactId as string, channelId: dto.channelId as string };
}

function bodyOf(dto: SendMessageDto): SendBody {
  if (dto.text !== undefined && dto.media !== undefined) throw new ValidationError('message.ambiguous_body', 'give either text or media');
  if (dto.media) {
    const { url, mimetype, filename } = dto.media;
    return { media: { url, mimetype, ...(filename ? { filename } : {}) }, ...(dto.caption ? { caption: dto.caption } : {}) };
  }
  if (dto.caption !== undefined) throw new ValidationError('message.caption_without_media', 'caption goes with media; send text alone');
  return { text: dto.text as string };
}
