import { Project } from './project';

const base = { id: 'p1', tenantId: 't1', billingAccountId: 'b1', createdBy: 'u1', description: null };

describe('Project', () => {
  it('trims and requires a name', () => {
    expect(Project.create({ ...base, name: '  Sales  ' }).snapshot.name).toBe('Sales');
    expect(() => Project.create({ ...base, name: '   ' })).toThrow(
      expect.objectContaining({ code: 'project.name_required', kind: 'validation' }),
    );
  });

  it('has defaults a create without them keeps', () => {
    const project = Project.create({ ...base, name: 'P', active: undefined, configuration: undefined, sessionTimeoutMinutes: undefined });
    expect(project.snapshot).toMatchObject({ active: true, configuration: {}, sessionTimeoutMinutes: 30, version: 0 });
  });

  it('records only real changes', () => {
    const project = Project.restore({
      ...base,
      name: 'P',
      configuration: {},
      active: true,
      sessionTimeoutMinutes: 30,
      version: 2,
      deletedAt: null,
    });
    project.update({ name: 'P', active: true });
    expect(project.hasChanges).toBe(false);
    project.update({ name: 'Q', sessionTimeoutMinutes: 60 });
    expect(project.peekEvents()[0]).toMatchObject({
      type: 'project.updated',
      aggregateVersion: 3,
      payload: { changes: { name: 'Q', sessionTimeoutMinutes: 60 } },
    });
  });

  it('deletes and restores once each', () => {
    const project = Project.restore({
      ...base,
      name: 'P',
      configuration: {},
      active: true,
      sessionTimeoutMinutes: 30,
      version: 1,
      deletedAt: null,
    });
    expect(() => project.undelete()).toThrow(expect.objectContaining({ code: 'project.not_deleted' }));
    project.delete();
    expect(project.isDeleted).toBe(true);
    expect(() => project.delete()).toThrow(expect.objectContaining({ code: 'project.already_deleted' }));
  });
});
