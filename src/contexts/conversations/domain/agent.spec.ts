import { Agent } from './agent';
import { Session } from './session';

const scope = { tenantId: '01a21290-0000-7000-8000-000000000002', projectId: '01a21290-0000-7000-8000-000000000003' };
const human = (userId: string | null) =>
  Agent.create({
    ...scope,
    id: '01a21290-0000-7000-8000-000000000001',
    type: 'human',
    name: ' Maria ',
    email: 'M@X.io',
    userId,
    config: {},
  });
const saved = (agent: Agent) => {
  agent.commit();
  return agent;
};

describe('Agent', () => {
  it('trims its name, lower-cases its email, starts active and publishes agent.created', () => {
    const agent = human('01a21290-0000-7000-8000-0000000000aa');
    expect(agent.snapshot).toMatchObject({ name: 'Maria', email: 'm@x.io', active: true, deletedAt: null });
    expect(agent.peekEvents().map((e) => e.type)).toEqual(['agent.created']);
    expect(() => human(null).update({ name: '  ' })).toThrow(expect.objectContaining({ code: 'agent.invalid_name' }));
  });

  it('publishes only the fields that changed, and nothing for a change to the same values', () => {
    const agent = saved(human(null));
    agent.update({ name: 'Maria', active: true });
    expect(agent.hasChanges).toBe(false);
    agent.update({ active: false, config: { shift: 'night' } });
    expect(agent.peekEvents()[0].payload).toEqual({ changes: { active: false, config: { shift: 'night' } } });
    expect(agent.canWork).toBe(false);
  });

  it("links an unlinked human agent once; a user's agent is never re-linked or unlinked", () => {
    const agent = saved(human(null));
    agent.update({ userId: '01a21290-0000-7000-8000-0000000000aa' });
    expect(agent.snapshot.userId).toBe('01a21290-0000-7000-8000-0000000000aa');
    expect(() => agent.update({ userId: '01a21290-0000-7000-8000-0000000000bb' })).toThrow(
      expect.objectContaining({ code: 'agent.user_relink' }),
    );
    expect(() => agent.update({ userId: null })).toThrow(expect.objectContaining({ code: 'agent.user_relink' }));
    const bot = saved(
      Agent.create({ ...scope, id: '01a21290-0000-7000-8000-000000000009', type: 'bot', name: 'B', email: null, userId: null, config: {} }),
    );
    expect(() => bot.update({ userId: '01a21290-0000-7000-8000-0000000000aa' })).toThrow(
      expect.objectContaining({ code: 'agent.user_not_human' }),
    );
  });

  it('refuses any change to a system agent, and changes to a deleted one until restored', () => {
    const system = saved(
      Agent.create({
        ...scope,
        id: '01a21290-0000-7000-8000-000000000005',
        type: 'system',
        name: 'API',
        email: null,
        userId: null,
        config: {},
      }),
    );
    expect(() => system.update({ name: 'Other' })).toThrow(expect.objectContaining({ code: 'agent.system', kind: 'conflict' }));
    expect(() => system.delete()).toThrow(expect.objectContaining({ code: 'agent.system' }));
    const agent = saved(human(null));
    agent.delete();
    expect(agent.canWork).toBe(false);
    expect(() => agent.update({ name: 'x' })).toThrow(expect.objectContaining({ code: 'agent.deleted' }));
    agent.undelete();
    expect(() => agent.undelete()).toThrow(expect.objectContaining({ code: 'agent.not_deleted' }));
    expect(agent.peekEvents().map((e) => e.type)).toEqual(['agent.deleted', 'agent.restored']);
  });
});

describe('Session.assign', () => {
  const start = () => {
    const session = Session.start(
      { ...scope, id: '01a21290-0000-7000-8000-000000000010', contactId: 'c', channelId: 'ch', chatId: 'chat', timeoutMinutes: 30 },
      new Date('2026-01-01T10:00:00Z'),
    );
    session.commit();
    return session;
  };

  it('records who had it, and changes nothing for the same agent', () => {
    const session = start();
    expect(session.assign('a1', new Date('2026-01-01T10:01:00Z'))).toBe(true);
    expect(session.assign('a1', new Date('2026-01-01T10:02:00Z'))).toBe(false);
    expect(session.assign('a2', new Date('2026-01-01T10:03:00Z'))).toBe(true);
    expect(session.snapshot.agentId).toBe('a2');
    expect(session.peekEvents().map((e) => e.payload)).toEqual([
      expect.objectContaining({ agentId: 'a1', previousAgentId: null, assignedAt: '2026-01-01T10:01:00.000Z' }),
      expect.objectContaining({ agentId: 'a2', previousAgentId: 'a1' }),
    ]);
  });

  it('refuses an ended session', () => {
    const session = start();
    session.end('manual', new Date('2026-01-01T10:05:00Z'));
    expect(() => session.assign('a1', new Date())).toThrow(expect.objectContaining({ code: 'session.already_ended' }));
  });
});
