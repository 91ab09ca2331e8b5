import { Channel } from './channel';

const fields = {
  id: '01a21290-0000-7000-8000-000000000001',
  tenantId: '01a21290-0000-7000-8000-000000000002',
  projectId: '01a21290-0000-7000-8000-000000000003',
  name: ' Sales ',
  type: 'waha' as const,
  config: { baseUrl: 'http://waha:3000/', session: 'default' },
  apiKeyEncrypted: 'v1:sealed',
  webhookSecretEncrypted: null,
  webhookTokenHash: 'hash',
  sessionTimeoutMinutes: null,
  debounceMs: 15000,
  pipelineId: null,
};

describe('Channel', () => {
  it('starts inactive, trims its name and base URL, and publishes no secret', () => {
    const channel = Channel.create(fields);
    expect(channel.snapshot).toMatchObject({ name: 'Sales', status: 'inactive', config: { baseUrl: 'http://waha:3000' } });
    const [created] = channel.peekEvents();
    expect(created.type).toBe('channel.created');
    expect(created.payload).toMatchObject({ hasApiKey: true, hasWebhookSecret: false });
    expect(JSON.stringify(created.payload)).not.toContain('v1:sealed');
  });

  it('refuses a name-less channel, a non-http base URL and an empty session', () => {
    expect(() => Channel.create({ ...fields, name: ' ' })).toThrow(expect.objectContaining({ code: 'channel.name_required' }));
    expect(() => Channel.create({ ...fields, config: { baseUrl: 'ftp://x', session: 's' } })).toThrow(
      expect.objectContaining({ code: 'channel.invalid_base_url' }),
    );
    expect(() => Channel.create({ ...fields, config: { baseUrl: 'http://x', session: ' ' } })).toThrow(
      expect.objectContaining({ code: 'channel.session_required' }),
    );
  });

  it('records status changes once, with their cause, and none when the status stays', () => {
    const channel = Channel.restore({ ...fields, status: 'inactive', enabled: false, version: 3, deletedAt: null });
    channel.reportStatus('active', 'WORKING'); // not activated: ignored
    expect(channel.hasChanges).toBe(false);
    channel.activate();
    channel.reportStatus('connecting', 'STARTING');
    channel.reportStatus('active', 'WORKING');
    expect(channel.peekEvents().map((e) => e.payload)).toEqual([
      { from: 'inactive', to: 'connecting', cause: 'activation' },
      { from: 'connecting', to: 'active', cause: 'provider', providerStatus: 'WORKING' },
    ]);
  });

  it('announces a replaced secret without showing it, and nothing for an unchanged update', () => {
    const channel = Channel.restore({
      enabled: false,
      ...fields,
      name: 'Sales',
      config: { baseUrl: 'http://waha:3000', session: 'default' },
      status: 'inactive',
      version: 1,
      deletedAt: null,
    });
    channel.update({ name: ' Sales' });
    expect(channel.hasChanges).toBe(false);
    channel.update({ apiKeyEncrypted: 'v1:other' });
    expect(channel.peekEvents().map((e) => e.payload)).toEqual([{ changes: {} }]);
  });

  it('cannot change a deleted channel', () => {
    const channel = Channel.restore({ ...fields, status: 'inactive', enabled: false, version: 1, deletedAt: new Date() });
    expect(() => channel.activate()).toThrow(expect.objectContaining({ code: 'channel.deleted' }));
  });
});
