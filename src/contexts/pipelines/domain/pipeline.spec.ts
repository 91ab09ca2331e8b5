import { ContactPipeline } from './contact-pipeline';
import { Pipeline } from './pipeline';

const scope = { tenantId: 't1', projectId: 'p1' };

function sales(): Pipeline {
  const pipeline = Pipeline.create({ id: 'pl', ...scope, name: ' Sales ', description: null, color: null, sessionTimeoutMinutes: null }, [
    { id: 'new', name: 'New', type: 'open' },
    { id: 'won', name: 'Won', type: 'closed' },
    { id: 'lost', name: 'Lost', type: 'closed' },
  ]);
  pipeline.commit();
  return pipeline;
}

describe('Pipeline', () => {
  it('creates its statuses in order and raises pipeline.created with them', () => {
    const pipeline = Pipeline.create({ id: 'pl', ...scope, name: ' Sales ', description: null, color: null, sessionTimeoutMinutes: 30 }, [
      { id: 'a', name: 'A', type: 'open' },
      { id: 'b', name: 'B', type: 'closed' },
    ]);
    const [event] = pipeline.peekEvents();
    expect(event.type).toBe('pipeline.created');
    expect(event.payload).toMatchObject({ name: 'Sales', sessionTimeoutMinutes: 30 });
    expect(pipeline.liveStatuses().map((s) => [s.id, s.position])).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
  });

  it('refuses a second live status of the same name, whatever its case', () => {
    const pipeline = sales();
    expect(() => pipeline.addStatus({ id: 'x', name: ' WON ', type: 'closed' })).toThrow(
      expect.objectContaining({ code: 'pipeline_status.duplicate_name' }),
    );
    expect(() => pipeline.changeStatus('lost', { name: 'new' })).toThrow(
      expect.objectContaining({ code: 'pipeline_status.duplicate_name' }),
    );
    pipeline.removeStatus('lost', 0);
    pipeline.addStatus({ id: 'lost2', name: 'Lost', type: 'closed' }); // a removed status frees its name
    expect(pipeline.liveStatuses().map((s) => s.name)).toEqual(['New', 'Won', 'Lost']);
  });

  it('reorders only with every live status exactly once', () => {
    const pipeline = sales();
    expect(() => pipeline.reorder(['won', 'new'])).toThrow(expect.objectContaining({ code: 'pipeline_status.invalid_order' }));
    expect(() => pipeline.reorder(['won', 'won', 'new'])).toThrow(expect.objectContaining({ code: 'pipeline_status.invalid_order' }));
    pipeline.reorder(['lost', 'won', 'new']);
    expect(pipeline.liveStatuses().map((s) => s.id)).toEqual(['lost', 'won', 'new']);
    expect(pipeline.changedStatuses.map((s) => s.id).sort()).toEqual(['lost', 'new']); // won kept its place
  });

  it('checks moves against the transitions of the status left, and refuses removed statuses and deleted pipelines', () => {
    const pipeline = sales();
    pipeline.changeStatus('new', { allowedNext: ['won'] });
    expect(pipeline.checkMove(undefined, 'lost').to).toEqual({ statusId: 'lost', name: 'Lost' });
    expect(() => pipeline.checkMove('new', 'lost')).toThrow(expect.objectContaining({ code: 'pipeline_status.transition_not_allowed' }));
    expect(pipeline.checkMove('new', 'won')).toEqual({ from: { statusId: 'new', name: 'New' }, to: { statusId: 'won', name: 'Won' } });
    expect(() => pipeline.removeStatus('won', 2)).toThrow(expect.objectContaining({ code: 'pipeline_status.not_empty' }));
    pipeline.removeStatus('won', 0);
    expect(pipeline.liveStatuses().find((s) => s.id === 'new')!.allowedNext).toEqual([]);
    expect(() => pipeline.checkMove('new', 'won')).toThrow(expect.objectContaining({ code: 'pipeline_status.deleted' }));
    expect(() => pipeline.checkMove('new', 'nope')).toThrow(expect.objectContaining({ code: 'pipeline_status.not_found' }));
    pipeline.delete();
    expect(() => pipeline.checkMove('new', 'lost')).toThrow(expect.objectContaining({ code: 'pipeline.deleted' }));
  });
});

describe('ContactPipeline', () => {
  it('closes the open stay with its duration and opens the next on each move; staying put changes nothing', () => {
    const entered = ContactPipeline.enter({ id: 'cp', ...scope, pipelineId: 'pl', contactId: 'c' }, { statusId: 'new', name: 'New' });
    expect(entered.historyChanges).toEqual([
      { kind: 'open', entryId: entered.snapshot.entryId, statusId: 'new', enteredAt: entered.snapshot.enteredAt },
    ]);
    entered.commit();
    expect(entered.historyChanges).toEqual([]);

    const place = ContactPipeline.restore({ ...entered.snapshot, enteredAt: new Date(Date.now() - 5000) });
    place.moveTo({ statusId: 'new', name: 'New' }, { statusId: 'new', name: 'New' });
    expect(place.hasChanges).toBe(false);
    const stay = place.snapshot.entryId;
    place.moveTo({ statusId: 'new', name: 'New' }, { statusId: 'won', name: 'Won' });
    const [event] = place.peekEvents();
    expect(event.type).toBe('contact.pipeline_status_changed');
    expect(event.payload).toMatchObject({ from: { statusId: 'new' }, to: { statusId: 'won' } });
    expect((event.payload as { durationMs: number }).durationMs).toBeGreaterThanOrEqual(5000);
    const [closed, opened] = place.historyChanges;
    expect(closed).toMatchObject({ kind: 'close', entryId: stay, durationMs: (event.payload as { durationMs: number }).durationMs });
    expect(opened).toMatchObject({ kind: 'open', entryId: place.snapshot.entryId, statusId: 'won' });
    expect(place.snapshot).toMatchObject({ statusId: 'won', version: 1 });
  });
});
