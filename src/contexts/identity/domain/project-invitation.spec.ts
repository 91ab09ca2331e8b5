import { assertAcceptablePassword } from './password-policy';
import { ProjectInvitation } from './project-invitation';

const fields = { id: 'i1', tenantId: 't1', projectId: 'p1', email: ' Grace@Example.COM ', role: 'user' as const, invitedBy: 'admin' };
const grace = { id: 'u2', email: 'grace@example.com' };

describe('ProjectInvitation', () => {
  it('is pending for the lower-cased email until its time runs out', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const invitation = ProjectInvitation.create(fields, 168, now);
    expect(invitation.snapshot).toMatchObject({
      email: 'grace@example.com',
      status: 'pending',
      expiresAt: new Date('2030-01-08T00:00:00Z'),
    });
    expect(invitation.peekEvents()[0]).toMatchObject({
      type: 'project_invitation.created',
      aggregateVersion: 1,
      tenantId: 't1',
      projectId: 'p1',
    });
    expect(invitation.isExpired(new Date('2030-01-07T23:59:59Z'))).toBe(false);
    expect(invitation.isExpired(new Date('2030-01-08T00:00:00Z'))).toBe(true);
  });

  it('is accepted or declined once, only by the owner of the email, and not once expired', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const fresh = () => ProjectInvitation.restore({ ...ProjectInvitation.create(fields, 1, now).snapshot, version: 1 });
    expect(() => fresh().accept({ id: 'u3', email: 'mallory@example.com' }, 'm1', now)).toThrow(
      expect.objectContaining({ code: 'invitation.not_found' }),
    );
    expect(() => fresh().accept(grace, 'm1', new Date('2030-01-01T01:00:00Z'))).toThrow(
      expect.objectContaining({ code: 'invitation.expired' }),
    );
    const accepted = fresh();
    accepted.accept({ ...grace, email: 'GRACE@example.com' }, 'm1', now);
    expect(accepted.snapshot).toMatchObject({ status: 'accepted', respondedBy: 'u2' });
    expect(accepted.peekEvents()[0]).toMatchObject({
      type: 'project_invitation.accepted',
      aggregateVersion: 2,
      payload: { userId: 'u2', memberId: 'm1', role: 'user' },
    });
    expect(() => accepted.decline(grace, now)).toThrow(expect.objectContaining({ code: 'invitation.not_pending' }));
    const declined = fresh();
    declined.decline(grace, now);
    expect(declined.snapshot.status).toBe('declined');
  });
});

describe('assertAcceptablePassword', () => {
  const owner = { email: 'ada.lovelace@example.com', name: 'Ada King' };
  const never = () => false;

  it('refuses the email, its local part and the name, in any case', () => {
    for (const password of ['ada.lovelace@example.com', 'ADA.LOVELACE', ' ada king ', 'AdaKing']) {
      expect(() => assertAcceptablePassword(password, owner, never)).toThrow(
        expect.objectContaining({ code: 'user.password_like_identity' }),
      );
    }
  });

  it('refuses what the common list holds, lower-cased', () => {
    const common = new Set(['password123']);
    expect(() => assertAcceptablePassword('Password123', owner, (p) => common.has(p))).toThrow(
      expect.objectContaining({ code: 'user.password_too_common', kind: 'validation' }),
    );
    expect(() => assertAcceptablePassword('correct horse battery', owner, (p) => common.has(p))).not.toThrow();
  });
});
