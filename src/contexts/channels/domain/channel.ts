import { AggregateRoot } from '#kernel';
import { ChannelsErrors } from '../channels.errors';
import {
  CHANNELS_EVENT_VERSIONS,
  ChannelConfig,
  ChannelEvents,
  ChannelFieldsPayload,
  ChannelStatus,
  ChannelStatusChanged,
  ChannelType,
} from '../channels.events';

/** A channel's secrets as stored: sealed by the application (the domain never sees them in clear). */
export interface SealedSecrets {
  apiKeyEncrypted: string | null;
  webhookSecretEncrypted: string | null;
}

export interface ChannelState extends SealedSecrets {
  id: string;
  tenantId: string;
  projectId: string;
  name: string;
  type: ChannelType;
  status: ChannelStatus;
  /** Activated by a user (and not deactivated since): the provider's session reports apply only then. */
  enabled: boolean;
  config: ChannelConfig;
  /** SHA-256 of the webhook URL's token: the look-up key of deliveries. */
  webhookTokenHash: string;
  sessionTimeoutMinutes: number | null;
  debounceMs: number;
  pipelineId: string | null;
  version: number;
  deletedAt: Date | null;
}

export type ChannelSettings = Pick<ChannelState, 'name' | 'config' | 'sessionTimeoutMinutes' | 'debounceMs' | 'pipelineId'>;

/** A change of settings; a secret is `undefined` (unchanged), `null` (removed) or a new sealed value. */
export type ChannelChanges = Partial<ChannelSettings> & { apiKeyEncrypted?: string | null; webhookSecretEncrypted?: string | null };

/**
 * A project's connection to a messaging provider (a WAHA session). Its status follows activation by a user and,
 * after that, the session states the provider reports.
 */
export class Channel extends AggregateRoot<ChannelEvents> {
  private constructor(private state: ChannelState) {
    super(state.id, state.version);
  }

  static create(fields: Omit<ChannelState, 'version' | 'deletedAt' | 'status' | 'enabled'>): Channel {
    const channel = new Channel({ ...fields, ...validSettings(fields), status: 'inactive', enabled: false, version: 0, deletedAt: null });
    channel.emit('channel.created', channel.fields());
    return channel;
  }

  static restore(state: ChannelState): Channel {
    return new Channel(state);
  }

  get snapshot(): Readonly<ChannelState> {
    return { ...this.state, version: this.version };
  }

  get isDeleted(): boolean {
    return this.state.deletedAt !== null;
  }

  update(changes: ChannelChanges): void {
    if (this.isDeleted) throw ChannelsErrors.channelDeleted();
    const before = this.fields();
    const next: ChannelState = { ...this.state };
    for (const key of [
      'name',
      'config',
      'sessionTimeoutMinutes',
      'debounceMs',
      'pipelineId',
      'apiKeyEncrypted',
      'webhookSecretEncrypted',
    ] as const) {
      if (changes[key] !== undefined) (next as unknown as Record<string, unknown>)[key] = changes[key];
    }
    Object.assign(next, validSettings(next));
    this.state = next;
    const after = this.fields();
    const changed: Partial<ChannelFieldsPayload> = {};
    for (const key of Object.keys(after) as (keyof ChannelFieldsPayload)[]) {
      if (JSON.stringify(after[key]) !== JSON.stringify(before[key])) (changed as Record<string, unknown>)[key] = after[key];
    }
    // A secret replaced by another shows no field change, yet it is a change of the channel.
    const secretReplaced =
      (changes.apiKeyEncrypted && before.hasApiKey) || (changes.webhookSecretEncrypted && before.hasWebhookSecret) ? true : false;
    if (Object.keys(changed).length === 0 && !secretReplaced) return;
    this.emit('channel.updated', { changes: changed });
  }

  delete(): void {
    if (this.isDeleted) throw ChannelsErrors.alreadyDeleted();
    this.state = { ...this.state, deletedAt: new Date() };
    this.emit('channel.deleted', {});
  }

  undelete(): void {
    if (!this.isDeleted) throw ChannelsErrors.notDeleted();
    this.state = { ...this.state, deletedAt: null };
    this.emit('channel.restored', {});
  }

  /** The webhook is registered with the provider: the channel waits for the session to report its state. */
  activate(): void {
    if (this.isDeleted) throw ChannelsErrors.channelDeleted();
    this.state = { ...this.state, enabled: true };
    this.moveTo('connecting', 'activation');
  }

  /** The channel stays inactive whatever the provider reports, until it is activated again. */
  deactivate(): void {
    if (this.isDeleted) throw ChannelsErrors.channelDeleted();
    this.state = { ...this.state, enabled: false };
    this.moveTo('inactive', 'deactivation');
  }

  /**
   * The provider reported its session's state (`providerStatus`), which maps to `status`. Ignored unless the
   * channel is activated: a session a user switched off here does not switch itself back on.
   */
  reportStatus(status: ChannelStatus, providerStatus: string): void {
    if (!this.state.enabled) return;
    this.moveTo(status, 'provider', providerStatus);
  }

  private moveTo(to: ChannelStatus, cause: ChannelStatusChanged['cause'], providerStatus?: string): void {
    if (this.isDeleted) throw ChannelsErrors.channelDeleted();
    const from = this.state.status;
    if (from === to) return;
    this.state = { ...this.state, status: to };
    this.emit('channel.status_changed', { from, to, cause, ...(providerStatus ? { providerStatus } : {}) });
  }

  private fields(): ChannelFieldsPayload {
    const s = this.state;
    return {
      name: s.name,
      type: s.type,
      config: { baseUrl: s.config.baseUrl, session: s.config.session },
      hasApiKey: s.apiKeyEncrypted !== null,
      hasWebhookSecret: s.webhookSecretEncrypted !== null,
      sessionTimeoutMinutes: s.sessionTimeoutMinutes,
      debounceMs: s.debounceMs,
      pipelineId: s.pipelineId,
    };
  }

  protected readonly aggregateType = 'channel';

  protected eventVersionOf(type: keyof ChannelEvents): number {
    return CHANNELS_EVENT_VERSIONS[type];
  }

  protected get scope() {
    return { tenantId: this.state.tenantId, projectId: this.state.projectId };
  }
}

function validSettings(s: Pick<ChannelState, 'name' | 'config'>): Pick<ChannelState, 'name' | 'config'> {
  const name = s.name.trim();
  if (!name) throw ChannelsErrors.nameRequired();
  const baseUrl = s.config.baseUrl.trim().replace(/\/+$/, '');
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw ChannelsErrors.invalidBaseUrl(s.config.baseUrl);
  const session = s.config.session.trim();
  if (!session) throw ChannelsErrors.sessionRequired();
  return { name, config: { baseUrl, session } };
}
