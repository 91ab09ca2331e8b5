import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { newId, verifyHmacSha512 } from '#kernel';
import { TransactionRunner } from '#persistence/transaction-runner';
import { ChannelsErrors } from '../channels.errors';
import { InboundEvent } from '../domain/inbound-event';
import { INBOUND_EVENT_REPOSITORY, InboundEventRepository } from '../domain/channels.repositories';
import { CHANNEL_SECRETS, ChannelSecrets, INBOUND_PARSER, InboundParser, WEBHOOK_DIRECTORY, WebhookDirectory } from './channels.ports';

export interface WebhookDelivery {
  token: string;
  /** The body's bytes as received: the signature covers them, and the inbox keeps them. */
  rawBody: Buffer;
  /** `X-Webhook-Hmac` and `X-Webhook-Hmac-Algorithm`. */
  hmac?: string;
  algorithm?: string;
}

export class ReceiveWahaWebhookCommand extends Command<{ id: string; status: 'accepted' }> {
  constructor(readonly delivery: WebhookDelivery) {
    super();
  }
}

/**
 * The transactional inbox: a delivery is checked (token, signature, session) and committed as received, with its
 * `channel.inbound_received` event, in one transaction of the channel's tenant. The answer never waits for
 * processing; the outbox delivers the event to the consumers, with retries, dead letters and replay.
 */
@CommandHandler(ReceiveWahaWebhookCommand)
export class ReceiveWahaWebhookHandler implements ICommandHandler<ReceiveWahaWebhookCommand> {
  constructor(
    @Inject(WEBHOOK_DIRECTORY) private readonly directory: WebhookDirectory,
    @Inject(CHANNEL_SECRETS) private readonly secrets: ChannelSecrets,
    @Inject(INBOUND_EVENT_REPOSITORY) private readonly inbox: InboundEventRepository,
    @Inject(INBOUND_PARSER) private readonly parser: InboundParser,
    private readonly tx: TransactionRunner,
  ) {}

  async execute({ delivery }: ReceiveWahaWebhookCommand): Promise<{ id: string; status: 'accepted' }> {
    const target = await this.directory.byTokenHash(this.secrets.tokenHash(delivery.token));
    // A deleted channel's URL answers like an unknown one: it may have been removed because the token leaked.
    if (!target || target.deleted || target.type !== 'waha') throw ChannelsErrors.notFound('webhook');
    if (target.webhookSecretEncrypted) {
      if (delivery.algorithm !== undefined && delivery.algorithm.trim().toLowerCase() !== 'sha512')
        throw ChannelsErrors.badAlgorithm(delivery.algorithm);
      const key = this.secrets.open(target.channelId, 'webhookSecret', target.webhookSecretEncrypted);
      if (!verifyHmacSha512(key, delivery.rawBody, delivery.hmac)) throw ChannelsErrors.badSignature();
    }
    const body = delivery.rawBody.toString('utf8');
    const { event, session } = envelope(body);
    if (target.session !== null && session !== target.session) throw ChannelsErrors.wrongSession();
    // Parsed here, before the one commit: the normalised event is published with the raw delivery (parsing is
    // pure and fast; a body the parser cannot read is still kept, as channel.inbound_received only).
    const inbound = InboundEvent.receive(
      { id: newId(), tenantId: target.tenantId, projectId: target.projectId, channelId: target.channelId, provider: 'waha', event, body },
      this.parser.parse('waha', body),
    );
    await this.tx.runAsTenant(target.tenantId, () => this.inbox.save(inbound));
    return { id: inbound.id, status: 'accepted' };
  }
}

/** The two fields every WAHA event has; the rest is for the consumers to read. */
function envelope(body: string): { event: string; session: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw ChannelsErrors.invalidPayload('The body is not JSON');
  }
  const o = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  if (!o || typeof o.event !== 'string' || o.event.trim() === '' || o.event.length > 100)
    throw ChannelsErrors.invalidPayload('A WAHA event is an object with its `event` name');
  if (typeof o.session !== 'string') throw ChannelsErrors.invalidPayload('A WAHA event names its `session`');
  return { event: o.event, session: o.session };
}
