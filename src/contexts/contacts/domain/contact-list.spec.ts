import { ContactList } from './contact-list';

const ids = () => ({ id: '01900000-0000-7000-8000-000000000001', tenantId: 't', projectId: 'p' });

describe('ContactList membership', () => {
  it('adds only non-members and removes only members, one event each, all at the next version', () => {
    const list = ContactList.restore({ ...ids(), name: 'L', description: null, version: 4, deletedAt: null });
    expect(list.addContacts(['a', 'b', 'a', 'c'], new Set(['b']))).toEqual(['a', 'c']);
    expect(list.removeContacts(['b', 'x'], new Set(['b']))).toEqual(['b']);
    expect(list.commit().map((e) => [e.type, e.aggregateVersion, e.payload])).toEqual([
      ['contact_list.contact_added', 5, { contactId: 'a' }],
      ['contact_list.contact_added', 5, { contactId: 'c' }],
      ['contact_list.contact_removed', 5, { contactId: 'b' }],
    ]);
    expect(list.addContacts(['a'], new Set(['a']))).toEqual([]);
    expect(list.hasChanges).toBe(false);
  });
});
