import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ExpectedVersion, assertExpectedVersion, newId } from '#kernel';
import { ChannelsErrors } from '../channels.errors';
import { ChannelType } from '../channels.events';
import { Channel, ChannelChanges } from '../domain/channel';
import { CHANNEL_REPOSITORY, ChannelRepository } from '../domain/channels.repositories';
import { CHANNEL_PROVIDER, CHANNEL_SECRETS, ChannelProvider, ChannelSecrets, ChannelsScope, WAHA_EVENTS } from './channels.ports';

export interface ChannelInput {
  name: string;
  type: ChannelType;
  config: { baseUrl: string; session: string; apiKey?: string; webhookSecret?: string };
  sessionTimeoutMinutes?: number | null;
  debounceMs?: number;
  pipelineId?: string | null;
}

export class CreateChannelCommand extends Command<{ id: string }> {
  constructor(
    readonly scope: ChannelsScope,
    readonly input: ChannelInput,
  ) {
    super();
  }
}

@CommandHandler(CreateChannelCommand)
export class CreateChannelHandler implements ICommandHandler<CreateChannelCommand> {
  constructor(
    @Inject(CHANNEL_REPOSITORY) private readonly channels: ChannelRepository,
    @Inject(CHANNEL_SECRETS) private readonly secrets: ChannelSecrets,
  ) {}

  async execute({ scope, input }: CreateChannelCommand): Promise<{ id: string }> {
    const id = newId();
    const { apiKey, webhookSecret, baseUrl, session } = input.config;
    const channel = Channel.create({
      id,
      tenantId: scope.tenantId,
      projectId: scope.projectId,
      name: input.name,
      type: input.type,
      config: { baseUrl, session },
      apiKeyEncrypted: apiKey ? this.secrets.seal(id, 'apiKey', apiKey) : null,
      webhookSecretEncrypted: webhookSecret ? this.secrets.seal(id, 'webhookSecret', webhookSecret) : null,
      webhookTokenHash: this.secrets.tokenHash(this.secrets.webhookToken(id)),
      sessionTimeoutMinutes: input.sessionTimeoutMinutes ?? null,
      debounceMs: input.debounceMs ?? 15_000,
      pipelineId: input.pipelineId ?? null,
    });
    await this.channels.save(channel);
    return { id };
  }
}

/** A PATCH: absent fields stay; a secret set to null is removed. */
export interface ChannelPatch {
  name?: string;
  config?: { baseUrl?: string; session?: string; apiKey?: string | null; webhookSecret?: string | null };
  sessionTimeoutMinutes?: number | null;
  debounceMs?: number;
  pipelineId?: string | null;
}

export type ChannelChange = { kind: 'update'; patch: ChannelPatch } | { kind: 'delete' } | { kind: 'restore' };

export class ChangeChannelCommand extends Command<{ id: string }> {
  constructor(
    readonly scope: ChannelsScope,
    readonly id: string,
    readonly change: ChannelChange,
    readonly expected?: ExpectedVersion,
  ) {
    super();
  }
}

@CommandHandler(ChangeChannelCommand)
export class ChangeChannelHandler implements ICommandHandler<ChangeChannelCommand> {
  constructor(
    @Inject(CHANNEL_REPOSITORY) private readonly channels: ChannelRepository,
    @Inject(CHANNEL_SECRETS) private readonly secrets: ChannelSecrets,
  ) {}

  async execute({ scope, id, change, expected }: ChangeChannelCommand): Promise<{ id: string }> {
    const channel = await this.channels.findById(scope.projectId, id, { withDeleted: change.kind === 'restore' });
    if (!channel || (change.kind === 'restore' && !channel.isDeleted)) throw ChannelsErrors.notFound('channel', id);
    assertExpectedVersion('channel', channel.version, expected);
    if (change.kind === 'update') channel.update(this.changes(channel, change.patch));
    else if (change.kind === 'delete') channel.delete();
    else channel.undelete();
    await this.channels.save(channel, expected);
    return { id };
  }

  private changes(channel: Channel, patch: ChannelPatch): ChannelChanges {
    const current = channel.snapshot;
    const seal = (field: 'apiKey' | 'webhookSecret', value: string | null | undefined) =>
      value === undefined ? undefined : value === null || value === '' ? null : this.secrets.seal(channel.id, field, value);
    return {
      name: patch.name,
      config:
        patch.config && (patch.config.baseUrl !== undefined || patch.config.session !== undefined)
          ? { baseUrl: patch.config.baseUrl ?? current.config.baseUrl, session: patch.config.session ?? current.config.session }
          : undefined,
      apiKeyEncrypted: seal('apiKey', patch.config?.apiKey),
      webhookSecretEncrypted: seal('webhookSecret', patch.config?.webhookSecret),
      sessionTimeoutMinutes: patch.sessionTimeoutMinutes,
      debounceMs: patch.debounceMs,
      pipelineId: patch.pipelineId,
    };
  }
}

export class SetChannelActivationCommand extends Command<{ id: string }> {
  constructor(
    readonly scope: ChannelsScope,
    readonly id: string,
    readonly active: boolean,
    readonly expected?: ExpectedVersion,
  ) {
    super();
  }
}

/**
 * Activation registers the webhook (URL, HMAC key, events) with the provider, then records the new status. The
 * provider is called before anything is written and holds no lock: when it fails the command fails (502) and the
 * channel is as it was; a change made meanwhile fails the compare-and-swap afterwards (409) instead of being lost.
 * A channel without a webhook secret gets a random one here, so every registered webhook is signed.
 */
@CommandHandler(SetChannelActivationCommand)
export class SetChannelActivationHandler implements ICommandHandler<SetChannelActivationCommand> {
  constructor(
    @Inject(CHANNEL_REPOSITORY) private readonly channels: ChannelRepository,
    @Inject(CHANNEL_SECRETS) private readonly secrets: ChannelSecrets,
    @Inject(CHANNEL_PROVIDER) private readonly provider: ChannelProvider,
  ) {}

  async execute({ scope, id, active, expected }: SetChannelActivationCommand): Promise<{ id: string }> {
    const channel = await this.channels.findById(scope.projectId, id);
    if (!channel) throw ChannelsErrors.notFound('channel', id);
    assertExpectedVersion('channel', channel.version, expected);
    if (!active) {
      channel.deactivate();
      await this.channels.save(channel, expected);
      return { id };
    }
    const url = this.secrets.webhookUrl(id);
    if (!/^https?:\/\//.test(url)) throw ChannelsErrors.publicUrlRequired();
    const state = channel.snapshot;
    let hmacKey: string;
    if (state.webhookSecretEncrypted) hmacKey = this.secrets.open(id, 'webhookSecret', state.webhookSecretEncrypted);
    else {
      hmacKey = this.secrets.generate();
      channel.update({ webhookSecretEncrypted: this.secrets.seal(id, 'webhookSecret', hmacKey) });
    }
    await this.provider.registerWebhook({
      baseUrl: state.config.baseUrl,
      apiKey: state.apiKeyEncrypted ? this.secrets.open(id, 'apiKey', state.apiKeyEncrypted) : undefined,
      session: state.config.session,
      url,
      hmacKey,
      events: WAHA_EVENTS,
    });
    channel.activate();
    // The save compares-and-swaps on the version read before the call: a concurrent change answers 409.
    await this.channels.save(channel, expected);
    return { id };
  }
}
