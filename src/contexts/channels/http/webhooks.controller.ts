import { Controller, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiProblem } from '#http';
import { Webhook } from '#tenancy';
import { ReceiveWahaWebhookCommand } from '../application/webhook.commands';
import { ChannelsErrors } from '../channels.errors';
import { WebhookAcceptedResponse } from './channel.responses';

/** Provider deliveries: no bearer credential, the URL's token is the credential (and the HMAC, when configured). */
@ApiTags('webhooks')
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly commands: CommandBus) {}

  @Webhook()
  @Post('waha/:token')
  @HttpCode(202)
  @ApiOperation({ summary: "Receive a WAHA event for the channel of this webhook URL's token; stored, then processed asynchronously" })
  @ApiHeader({ name: 'X-Webhook-Hmac', required: false, description: "Hex HMAC-SHA512 of the raw body under the channel's webhookSecret" })
  @ApiHeader({ name: 'X-Webhook-Hmac-Algorithm', required: false, description: '`sha512` when present' })
  @ApiBody({
    description: 'A WAHA event, stored as sent',
    schema: {
      type: 'object',
      required: ['event', 'session'],
      properties: { event: { type: 'string' }, session: { type: 'string' }, payload: { type: 'object' } },
      example: { event: 'session.status', session: 'default', payload: { status: 'WORKING' } },
    },
  })
  @ApiAcceptedResponse({ type: WebhookAcceptedResponse, description: 'Committed to the inbox; processing follows' })
  @ApiProblem(400, 'Not a WAHA event (`webhook.invalid_payload`), or an event of another session (`webhook.wrong_session`)')
  @ApiProblem(401, 'The channel has a webhook secret and X-Webhook-Hmac is missing or wrong (`webhook.bad_signature`)')
  @ApiProblem(404, 'No channel has this token, or it was deleted (`webhook.not_found`)')
  receive(
    @Param('token') token: string,
    @Req() req: Request & { rawBody?: Buffer },
    @Headers('x-webhook-hmac') hmac?: string,
    @Headers('x-webhook-hmac-algorithm') algorithm?: string,
  ) {
    if (!req.rawBody) throw ChannelsErrors.invalidPayload('Send the WAHA event as an application/json body');
    return this.commands.execute(new ReceiveWahaWebhookCommand({ token, rawBody: req.rawBody, hmac, algorithm }));
  }
}
