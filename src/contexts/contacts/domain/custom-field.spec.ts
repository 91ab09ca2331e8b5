import { CustomField } from './custom-field';

const ids = () => ({ id: '01900000-0000-7000-8000-000000000001', tenantId: 't', projectId: 'p' });

describe('CustomField', () => {
  it('raises defined, relabeled and deleted at consecutive versions with published payloads', () => {
    const field = CustomField.define({ ...ids(), key: 'plan', label: ' Plan ', type: 'text' });
    expect(field.commit().map((e) => [e.type, e.aggregateVersion, e.eventVersion, e.payload])).toEqual([
      ['contact_custom_field.defined', 1, 1, { key: 'plan', label: 'Plan', type: 'text' }],
    ]);
    field.relabel('Tier');
    field.commit();
    field.delete();
    const [deleted] = field.commit();
    expect([deleted.type, deleted.aggregateVersion, deleted.payload]).toEqual(['contact_custom_field.deleted', 3, { key: 'plan' }]);
    expect(field.snapshot).toMatchObject({ label: 'Tier', version: 3, deletedAt: deleted.occurredAt });
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])('refuses the reserved key %s', (key) => {
    expect(() => CustomField.define({ ...ids(), key, label: 'x', type: 'text' })).toThrow(
      expect.objectContaining({ code: 'custom_field.reserved_key' }),
    );
  });

  it('refuses a blank label', () => {
    expect(() => CustomField.define({ ...ids(), key: 'plan', label: '  ', type: 'text' })).toThrow(
      expect.objectContaining({ code: 'custom_field.label_required' }),
    );
  });
});
