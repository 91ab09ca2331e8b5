import { DomainEvent, newId } from '#kernel';
import { MessageGroup } from './message-group';

const at = (seconds: number) => new Date(Date.UTC(2025, 8, 23, 14, 0, seconds));
const save = (group: MessageGroup): DomainEvent[] => group.commit();

function openGroup(debounceMs = 15_000, sessionId = 's1') {
  return MessageGroup.open(
    { id: newId(), tenantId: newId(), projectId: newId(), contactId: 'c', chatId: 'h', channelId: 'ch', sessionId, debounceMs },
    'm1',
    at(0),
  );
}

describe('MessageGroup', () => {
  it('opens pending with its first message and a window of debounceMs after it, announced by message_group.started', () => {
    const group = openGroup();
    expect(group.snapshot).toMatchObject({ status: 'pending', messageIds: ['m1'], firstMessageAt: at(0), expiresAt: at(15) });
    expect(save(group).map((e) => e.type)).toEqual(['message_group.started']);
  });

  it('takes messages within the window, each extending it from the latest; a late or repeated one moves nothing back', () => {
    const group = openGroup();
    save(group);
    expect(group.accepts('s1', at(15))).toBe(true);
    group.add('m2', at(10));
    group.add('m3', at(5));
    group.add('m2', at(10));
    expect(group.snapshot).toMatchObject({
      messageIds: ['m1', 'm2', 'm3'],
      firstMessageAt: at(0),
      lastMessageAt: at(10),
      expiresAt: at(25),
    });
    // a change without an event, saved by compare-and-swap
    expect(group.hasChanges).toBe(false);
    expect(group.isTouched).toBe(true);
  });

  it('refuses a message after its window or of another session', () => {
    const group = openGroup();
    expect(group.accepts('s1', at(16))).toBe(false);
    expect(group.accepts('s2', at(1))).toBe(false);
  });

  it('completes once, when its window closed or earlier for a new session, with every message in the event', () => {
    const group = openGroup();
    save(group);
    group.add('m2', at(3));
    group.complete();
    group.complete();
    const events = save(group);
    expect(events.map((e) => [e.type, e.payload])).toEqual([
      [
        'message_group.completed',
        {
          groupId: group.id,
          contactId: 'c',
          chatId: 'h',
          channelId: 'ch',
          sessionId: 's1',
          messageIds: ['m1', 'm2'],
          messageCount: 2,
          firstMessageAt: at(0).toISOString(),
          lastMessageAt: at(3).toISOString(),
          completedAt: at(18).toISOString(),
        },
      ],
    ]);
    expect(group.accepts('s1', at(4))).toBe(false);
    group.add('m3', at(4));
    expect(group.snapshot.messageIds).toEqual(['m1', 'm2']);

    const early = openGroup(600_000);
    early.complete(at(90));
    expect(early.snapshot.completedAt).toEqual(at(90));
  });
});
