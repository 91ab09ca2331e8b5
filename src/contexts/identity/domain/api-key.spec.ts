import { ApiKey, hashApiKey } from './api-key';
import { Tenant } from './tenant';
import { User } from './user';

const fields = { id: 'k1', tenantId: 't1', projectId: 'p1', userId: 'u1', name: ' CI ', expiresAt: null };

describe('ApiKey', () => {
  it('is issued with a secret shown once, stored only as its hash, and raises api_key.created at version 1', () => {
    const { key, secret } = ApiKey.issue(fields);
    expect(secret).toMatch(/^crm_[\w-]{40,}$/);
    expect(key.snapshot).toMatchObject({ name: 'CI', keyHash: hashApiKey(secret), keyPrefix: secret.slice(0, 12), version: 0 });
    expect(JSON.stringify(key.peekEvents())).not.toContain(secret);
    expect(key.peekEvents().map((e) => [e.type, e.aggregateVersion, e.tenantId, e.projectId])).toEqual([
      ['api_key.created', 1, 't1', 'p1'],
    ]);
  });

  it('raises api_key.revoked at the version after the stored one', () => {
    const key = ApiKey.restore({ ...fields, keyPrefix: 'crm_x', keyHash: 'h', version: 3 });
    key.revoke('admin');
    expect(key.isRevoked).toBe(true);
    expect(key.peekEvents()[0]).toMatchObject({
      type: 'api_key.revoked',
      aggregateVersion: 4,
      payload: { userId: 'u1', revokedBy: 'admin' },
    });
  });
});

describe('registration aggregates', () => {
  it('a tenant and a user raise their own events, scoped to the new tenant', () => {
    const tenant = Tenant.register({ id: 't1', name: ' Acme ', ownerUserId: 'u1', billingAccountId: 'b1', billingEmail: 'a@x.test' }, 'p1');
    expect(tenant.peekEvents()[0]).toMatchObject({
      type: 'tenant.registered',
      aggregateId: 't1',
      tenantId: 't1',
      projectId: 'p1',
      payload: { name: 'Acme', ownerUserId: 'u1', billingAccountId: 'b1' },
    });
    const user = User.register({ id: 'u1', email: ' Ada@X.test ', name: ' Ada ', passwordHash: 'h' }, 't1');
    expect(user.snapshot).toMatchObject({ email: 'ada@x.test', name: 'Ada', status: 'active' });
    expect(user.peekEvents()[0]).toMatchObject({
      type: 'user.registered',
      tenantId: 't1',
      projectId: null,
      payload: { email: 'ada@x.test' },
    });
    expect(JSON.stringify(user.peekEvents())).not.toContain('"h"');
  });
});
