import { ProjectMember } from './project-member';

const ids = { id: 'm1', tenantId: 't1', projectId: 'p1', userId: 'u1', invitedBy: null };

describe('ProjectMember', () => {
  it('records project_member.added at version 1 when added', () => {
    const member = ProjectMember.add({ ...ids, role: 'user' });
    expect(member.version).toBe(0);
    expect(member.peekEvents().map((e) => [e.type, e.aggregateVersion])).toEqual([['project_member.added', 1]]);
  });

  it('changes a role with one event, and does nothing for the same role', () => {
    const member = ProjectMember.restore({ ...ids, role: 'user', invitedAt: new Date(), version: 3, deletedAt: null });
    member.changeRole('user', 0);
    expect(member.hasChanges).toBe(false);
    member.changeRole('manager', 0);
    expect(member.snapshot.role).toBe('manager');
    expect(member.peekEvents()).toHaveLength(1);
    expect(member.peekEvents()[0]).toMatchObject({
      type: 'project_member.role_changed',
      aggregateVersion: 4,
      payload: { from: 'user', to: 'manager' },
    });
  });

  it('keeps the last admin: no demotion, no removal', () => {
    const admin = ProjectMember.restore({ ...ids, role: 'admin', invitedAt: new Date(), version: 1, deletedAt: null });
    expect(() => admin.changeRole('user', 0)).toThrow(expect.objectContaining({ code: 'project_member.last_admin', kind: 'conflict' }));
    expect(() => admin.remove(0)).toThrow(expect.objectContaining({ code: 'project_member.last_admin' }));
    expect(admin.hasChanges).toBe(false);
    admin.remove(1);
    expect(admin.snapshot.deletedAt).toBeInstanceOf(Date);
    expect(admin.peekEvents().map((e) => e.type)).toEqual(['project_member.removed']);
  });
});
