import { DomainError, DomainEvent, ValidationError, newId } from '#kernel';
import { Contact, ContactFields, ContactState } from './contact';
import { StoredContactEvent, replayContact } from './contact-history';

const ids = () => ({ id: newId(), tenantId: newId(), projectId: newId() });

/** Saves the pending change as AggregateStore does: nothing without changes, else hand over the events and move on. */
function save(contact: Contact): DomainEvent[] {
  return contact.hasChanges ? contact.commit() : [];
}

/** What the event store holds for an event: its position and its payload after a round trip through jsonb. */
function stored(event: DomainEvent): StoredContactEvent {
  return {
    sequence: event.aggregateVersion,
    type: event.type,
    data: JSON.parse(JSON.stringify(event.payload)),
    occurredAt: event.occurredAt,
  };
}

/** Every `new Date()` and `Date.now()` is one millisecond later than the previous one. */
function withTickingClock<T>(fn: () => T): T {
  const RealDate = Date;
  let now = RealDate.now();
  class TickingDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(now++);
      else super(...(args as [string]));
    }
    static now(): number {
      return now++;
    }
  }
  globalThis.Date = TickingDate as DateConstructor;
  try {
    return fn();
  } finally {
    globalThis.Date = RealDate;
  }
}

function expectDomainError(fn: () => unknown, kind: string, code: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(DomainError);
  expect(thrown).toMatchObject({ kind, code });
}

describe('Contact', () => {
  describe('create', () => {
    it('records one contact.created event carrying the normalised fields, at version 1', () => {
      const who = ids();
      const contact = Contact.create(who, {
        name: '  Ada Lovelace ',
        email: ' ADA@Example.COM ',
        phone: '+1 (415) 555-2671',
        tags: ['vip', ' b2b ', 'vip', ''],
      });
      expect(contact.isNew).toBe(true);
      expect(contact.version).toBe(0);
      expect(contact.hasChanges).toBe(true);
      const [event, ...rest] = contact.peekEvents();
      expect(rest).toEqual([]);
      expect(event).toMatchObject({
        type: 'contact.created',
        aggregateType: 'contact',
        aggregateId: who.id,
        aggregateVersion: 1,
        eventVersion: 1,
        tenantId: who.tenantId,
        projectId: who.projectId,
      });
      expect(event.eventId).toMatch(/^[0-9a-f-]{36}$/);
      expect(event.occurredAt).toBeInstanceOf(Date);
      expect(event.payload).toEqual({
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        phone: '+14155552671',
        externalId: null,
        sourceChannel: null,
        language: null,
        timezone: null,
        tags: ['b2b', 'vip'],
        customFields: {},
        profilePictureUrl: null,
      });
      // Identity and bookkeeping are the event's envelope, not its payload.
      for (const key of ['id', 'tenantId', 'projectId', 'version', 'deletedAt']) expect(event.payload).not.toHaveProperty(key);
    });

    it('starts with empty defaults and moves to version 1 on commit', () => {
      const who = ids();
      const contact = Contact.create(who, { externalId: 'ext-1' });
      expect(contact.snapshot).toEqual({
        ...who,
        name: null,
        email: null,
        phone: null,
        externalId: 'ext-1',
        sourceChannel: null,
        language: null,
        timezone: null,
        tags: [],
        customFields: {},
        profilePictureUrl: null,
        firstTouch: null,
        version: 0,
        deletedAt: null,
      });
      const events = save(contact);
      expect(events.map((e) => e.type)).toEqual(['contact.created']);
      expect(contact.version).toBe(1);
      expect(contact.snapshot.version).toBe(1);
      expect(contact.isNew).toBe(false);
      expect(contact.hasChanges).toBe(false);
      expect(contact.peekEvents()).toEqual([]);
      expect(save(contact)).toEqual([]);
    });

    it.each<[string, ContactFields]>([
      ['a name', { name: 'Ada' }],
      ['an email', { email: 'ada@example.com' }],
      ['a phone', { phone: '+442071838750' }],
      ['an external id', { externalId: 'crm-42' }],
    ])('is identifiable by %s alone', (_label, fields) => {
      expect(() => Contact.create(ids(), fields)).not.toThrow();
    });

    it.each<[string, ContactFields]>([
      ['nothing', {}],
      ['only tags and a language', { tags: ['vip'], language: 'en' }],
      ['a blank name', { name: '   ' }],
      ['a blank email and phone', { email: '  ', phone: '' }],
      ['nulls', { name: null, email: null, phone: null, externalId: null }],
    ])('needs a name, an email, a phone or an external id (%s is not enough)', (_label, fields) => {
      expectDomainError(() => Contact.create(ids(), fields), 'validation', 'contact.identity_required');
    });

    it.each(['plainaddress', 'a@b', 'a b@example.com', '@example.com', 'ada@', `${'x'.repeat(250)}@example.com`])(
      'rejects the email %s',
      (email) => {
        expectDomainError(() => Contact.create(ids(), { email }), 'validation', 'contact.invalid_email');
      },
    );

    it.each(['12', 'abc', '+1 000', '+999 1234567', '4155552671', '+1415555267199999'])('rejects the phone %s', (phone) => {
      expectDomainError(() => Contact.create(ids(), { name: 'x', phone }), 'validation', 'contact.invalid_phone');
    });

    it.each([
      ['+1 415 555 2671', '+14155552671'],
      ['+44 20 7183 8750', '+442071838750'],
      ['+55 (11) 98765-4321', '+5511987654321'],
      ['  +4930901820 ', '+4930901820'],
    ])('normalises the phone %s to E.164 %s', (input, e164) => {
      expect(Contact.create(ids(), { phone: input }).snapshot.phone).toBe(e164);
    });

    it('raises a ValidationError (a 400 at the edge) for bad values', () => {
      expect(() => Contact.create(ids(), { email: 'nope' })).toThrow(ValidationError);
    });
  });

  describe('update', () => {
    function saved(fields: ContactFields = { name: 'Ada', email: 'ada@example.com' }): Contact {
      const contact = Contact.create(ids(), fields);
      save(contact);
      return contact;
    }

    it('records only the fields that really changed, normalised, at the next version', () => {
      const contact = saved({ name: 'Ada', email: 'ada@example.com', tags: ['a'] });
      contact.update({ name: 'Ada', email: ' ADA.L@Example.com', tags: ['b', 'a', 'a'] });
      const [event] = contact.peekEvents();
      expect(contact.peekEvents()).toHaveLength(1);
      expect(event).toMatchObject({ type: 'contact.updated', aggregateVersion: 2, aggregateId: contact.id });
      expect(event.payload).toEqual({ changes: { email: 'ada.l@example.com', tags: ['a', 'b'] } });
      expect(contact.version).toBe(1);
      save(contact);
      expect(contact.version).toBe(2);
      expect(contact.snapshot).toMatchObject({ name: 'Ada', email: 'ada.l@example.com', tags: ['a', 'b'], version: 2 });
    });

    it('records nothing when nothing changes (same values, or the same values spelled differently)', () => {
      const contact = saved({ name: 'Ada', email: 'ada@example.com', phone: '+14155552671', tags: ['x', 'y'] });
      contact.update({});
      contact.update({ name: ' Ada ', email: 'ADA@EXAMPLE.COM', phone: '+1 415-555-2671', tags: ['y', 'x', 'y'] });
      expect(contact.hasChanges).toBe(false);
      expect(save(contact)).toEqual([]);
      expect(contact.version).toBe(1);
    });

    it('clears a field given as null and leaves absent fields alone', () => {
      const contact = saved({ name: 'Ada', email: 'ada@example.com', language: 'en', timezone: 'Europe/London' });
      contact.update({ language: null, timezone: undefined });
      expect(contact.peekEvents()[0].payload).toEqual({ changes: { language: null } });
      expect(contact.snapshot).toMatchObject({ name: 'Ada', email: 'ada@example.com', language: null, timezone: 'Europe/London' });
    });

    it('merges custom fields and removes a key given as null', () => {
      const contact = saved({ name: 'Ada', customFields: { plan: 'pro', seats: 3 } });
      contact.update({ customFields: { seats: 5, vip: true } });
      expect(contact.snapshot.customFields).toEqual({ plan: 'pro', seats: 5, vip: true });
      expect(contact.peekEvents()[0].payload).toEqual({ changes: { customFields: { plan: 'pro', seats: 5, vip: true } } });
      save(contact);
      contact.update({ customFields: { plan: null } });
      expect(contact.snapshot.customFields).toEqual({ seats: 5, vip: true });
      save(contact);
      contact.update({ customFields: { missing: null } });
      expect(contact.hasChanges).toBe(false);
    });

    it('rejects a change that would leave the contact unidentifiable, and stays as it was', () => {
      const contact = saved({ name: 'Ada', email: 'ada@example.com' });
      const before = contact.snapshot;
      expectDomainError(() => contact.update({ name: null, email: '  ' }), 'validation', 'contact.identity_required');
      expect(contact.hasChanges).toBe(false);
      expect(contact.snapshot).toEqual(before);
      contact.update({ name: null });
      expect(contact.snapshot).toMatchObject({ name: null, email: 'ada@example.com' });
    });

    it('rejects invalid values without changing anything', () => {
      const contact = saved();
      const before = contact.snapshot;
      expectDomainError(() => contact.update({ name: 'Grace', phone: 'not a phone' }), 'validation', 'contact.invalid_phone');
      expectDomainError(() => contact.update({ name: 'Grace', email: 'not an email' }), 'validation', 'contact.invalid_email');
      expect(contact.snapshot).toEqual(before);
      expect(contact.hasChanges).toBe(false);
    });

    it('cannot change a deleted contact', () => {
      const contact = saved();
      contact.delete();
      save(contact);
      expectDomainError(() => contact.update({ name: 'Grace' }), 'conflict', 'contact.deleted');
    });

    it('continues the version of a contact loaded from storage', () => {
      const state: ContactState = {
        ...ids(),
        name: 'Ada',
        email: null,
        phone: null,
        externalId: null,
        sourceChannel: null,
        language: null,
        timezone: null,
        tags: [],
        customFields: {},
        profilePictureUrl: null,
        firstTouch: null,
        version: 7,
        deletedAt: null,
      };
      const contact = Contact.restore(state);
      expect(contact.isNew).toBe(false);
      expect(contact.hasChanges).toBe(false);
      contact.update({ name: 'Ada L.' });
      expect(contact.peekEvents()[0].aggregateVersion).toBe(8);
      save(contact);
      expect(contact.snapshot.version).toBe(8);
      // The loaded state is not shared with the aggregate.
      expect(state.name).toBe('Ada');
    });
  });

  describe('delete and restore', () => {
    it('soft-deletes once and restores once, one event each', () => {
      const contact = Contact.create(ids(), { name: 'Ada' });
      save(contact);
      expect(contact.isDeleted).toBe(false);
      contact.delete();
      expect(contact.isDeleted).toBe(true);
      expect(contact.snapshot.deletedAt).toBeInstanceOf(Date);
      expect(contact.peekEvents().map((e) => [e.type, e.aggregateVersion])).toEqual([['contact.deleted', 2]]);
      save(contact);
      expectDomainError(() => contact.delete(), 'conflict', 'contact.already_deleted');
      contact.undelete();
      expect(contact.isDeleted).toBe(false);
      expect(contact.snapshot.deletedAt).toBeNull();
      expect(contact.peekEvents().map((e) => [e.type, e.aggregateVersion])).toEqual([['contact.restored', 3]]);
      save(contact);
      expectDomainError(() => contact.undelete(), 'conflict', 'contact.not_deleted');
      expect(contact.version).toBe(3);
    });
  });

  describe('first touch', () => {
    const ad = { source: 'meta_ads', adId: '42', ctwaClid: 'abc', at: '2025-09-23T14:10:37.000Z' };

    it('is recorded once, with one event, and never overwritten', () => {
      const contact = Contact.create(ids(), { name: 'Ada' });
      save(contact);
      expect(contact.snapshot.firstTouch).toBeNull();
      contact.recordFirstTouch(ad);
      expect(contact.snapshot.firstTouch).toEqual(ad);
      expect(save(contact).map((e) => [e.type, e.payload])).toEqual([['contact.first_touch_recorded', { attribution: ad }]]);
      contact.recordFirstTouch({ source: 'meta_ads', adId: 'later', at: '2025-10-01T00:00:00.000Z' });
      expect(contact.hasChanges).toBe(false);
      expect(contact.snapshot.firstTouch).toEqual(ad);
    });

    it('is not part of contact.created, nor changed by an update', () => {
      const contact = Contact.create(ids(), { name: 'Ada' });
      expect(contact.peekEvents()[0].payload).not.toHaveProperty('firstTouch');
      save(contact);
      contact.recordFirstTouch(ad);
      save(contact);
      contact.update({ name: 'Ada L.', firstTouch: null } as ContactFields);
      expect(contact.snapshot.firstTouch).toEqual(ad);
    });

    it('cannot be recorded on a deleted contact', () => {
      const contact = Contact.create(ids(), { name: 'Ada' });
      contact.delete();
      expectDomainError(() => contact.recordFirstTouch(ad), 'conflict', 'contact.deleted');
    });
  });
});

describe('replayContact', () => {
  function history(): { states: ContactState[]; events: StoredContactEvent[] } {
    const states: ContactState[] = [];
    const events: StoredContactEvent[] = [];
    const contact = Contact.create(ids(), { name: 'Ada', email: 'ada@example.com', tags: ['a'], customFields: { plan: 'free' } });
    const step = (change: (c: Contact) => void) => {
      change(contact);
      events.push(...save(contact).map(stored));
      states.push(JSON.parse(JSON.stringify(contact.snapshot)));
    };
    step(() => undefined);
    step((c) => c.update({ phone: '+1 415 555 2671' }));
    step((c) => c.update({ customFields: { plan: 'pro', seats: 2 } }));
    step((c) => c.update({ email: null, tags: ['b'] }));
    step((c) => c.delete());
    step((c) => c.undelete());
    step((c) => c.update({ customFields: { plan: null }, name: 'Ada L.' }));
    step((c) => c.recordFirstTouch({ source: 'meta_ads', adId: '42', at: '2025-09-23T14:10:37.000Z' }));
    return { states, events };
  }

  const asJson = (state: ContactState | null) => JSON.parse(JSON.stringify(state));

  it('rebuilds the state at every version from the events alone', () => {
    withTickingClock(() => {
      const { states, events } = history();
      expect(events.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      const identity = { id: states[0].id, tenantId: states[0].tenantId, projectId: states[0].projectId };
      states.forEach((state, i) => {
        expect(asJson(replayContact(identity, null, events.slice(0, i + 1)))).toEqual(state);
      });
    });
  });

  it('rebuilds the same state from any snapshot plus the events after it', () => {
    withTickingClock(() => {
      const { states, events } = history();
      const identity = { id: states[0].id, tenantId: states[0].tenantId, projectId: states[0].projectId };
      for (let snap = 0; snap < states.length; snap++) {
        for (let target = snap; target < states.length; target++) {
          const replayed = replayContact(identity, states[snap], events.slice(snap + 1, target + 1));
          expect({ snap, target, state: asJson(replayed) }).toEqual({ snap, target, state: states[target] });
        }
      }
    });
  });

  it('shows the deleted contact as deleted at the instant it was deleted', () => {
    withTickingClock(() => {
      const { states, events } = history();
      const identity = { id: states[0].id, tenantId: states[0].tenantId, projectId: states[0].projectId };
      const deleted = replayContact(identity, null, events.slice(0, 5));
      expect(deleted?.deletedAt).not.toBeNull();
      expect(new Date(deleted!.deletedAt!).toISOString()).toBe(states[4].deletedAt);
      expect(replayContact(identity, null, events.slice(0, 6))?.deletedAt).toBeNull();
    });
  });

  it('uses the given identity, not whatever the payload says', () => {
    const { states, events } = history();
    const identity = { id: newId(), tenantId: newId(), projectId: newId() };
    const replayed = replayContact(identity, null, [{ ...events[0], data: { ...events[0].data, id: 'x', tenantId: 'y' } }]);
    expect(replayed).toMatchObject({ ...identity, name: states[0].name, version: 1, deletedAt: null });
  });

  it('returns the base when there are no events, and null with neither', () => {
    const { states } = history();
    const identity = { id: states[0].id, tenantId: states[0].tenantId, projectId: states[0].projectId };
    expect(replayContact(identity, null, [])).toBeNull();
    expect(replayContact(identity, states[3], [])).toEqual(states[3]);
  });

  it('ignores changes before a creation and event types it does not know', () => {
    const { states, events } = history();
    const identity = { id: states[0].id, tenantId: states[0].tenantId, projectId: states[0].projectId };
    expect(replayContact(identity, null, events.slice(1, 3))).toBeNull();
    const unknown: StoredContactEvent = {
      sequence: 2,
      type: 'contact_list.contact_added',
      data: { name: 'hijack' },
      occurredAt: new Date(),
    };
    expect(asJson(replayContact(identity, null, [events[0], unknown]))).toEqual(states[0]);
  });
});
