import { TransactionRunner } from '#persistence/transaction-runner';
import { NOTES_API, NotesApi } from '../../src/contexts/notes/notes.api';
import { Tenant, TestApp, registerTenant, startTestApp } from '../support/test-app';
import { Json, createContact, expectProblem, timelineOf } from '../pipelines/pipelines-helpers';

describe('notes', () => {
  let t: TestApp;
  let a: Tenant;
  beforeAll(async () => {
    t = await startTestApp();
    a = await registerTenant(t.http, 'notes');
  });
  afterAll(() => t.close());

  const note = (contactId: string, body: object) => t.http.post(`/api/v1/contacts/${contactId}/notes`).set(a.auth).send(body);

  it('creates, reads, updates with If-Match and soft-deletes a note', async () => {
    const { http } = t;
    const contact = await createContact(http, a, 'Noted');
    const created = await note(contact, { text: '  Wants a demo  ' });
    expect(created.status).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.body).toEqual({
      id: expect.any(String),
      contactId: contact,
      text: 'Wants a demo',
      pinned: false,
      authorId: a.userId,
      version: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const id = created.body.id;
    expect((await http.get(`/api/v1/contacts/${contact}/notes/${id}`).set(a.auth)).body).toEqual(created.body);

    const changed = await http
      .patch(`/api/v1/contacts/${contact}/notes/${id}`)
      .set(a.auth)
      .set('If-Match', '"1"')
      .send({ text: 'Wants a demo on Friday', pinned: true });
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).toBe('"2"');
    expect(changed.body).toMatchObject({ text: 'Wants a demo on Friday', pinned: true, version: 2 });
    expectProblem(
      await http.patch(`/api/v1/contacts/${contact}/notes/${id}`).set(a.auth).set('If-Match', '"1"').send({ pinned: false }),
      412,
    );
    expectProblem(
      await http.patch(`/api/v1/contacts/${contact}/notes/${id}`).set(a.auth).send({ pinned: false, version: 1 }),
      409,
      'version_conflict',
    );
    expectProblem(await http.patch(`/api/v1/contacts/${contact}/notes/${id}`).set(a.auth).send({ text: '   ' }), 400, 'note.text_required');
    expectProblem(await note(contact, { text: '' }), 400);
    expectProblem(await note(contact, { text: 'x', pinned: 'yes' }), 400);

    expectProblem(await http.delete(`/api/v1/contacts/${contact}/notes/${id}`).set(a.auth).set('If-Match', '"1"'), 412);
    expect((await http.delete(`/api/v1/contacts/${contact}/notes/${id}`).set(a.auth).set('If-Match', '"2"')).status).toBe(204);
    expectProblem(await http.get(`/api/v1/contacts/${contact}/notes/${id}`).set(a.auth), 404, 'note.not_found');
    expectProblem(await http.delete(`/api/v1/contacts/${contact}/notes/${id}`).set(a.auth), 404, 'note.not_found');
    expect((await http.get(`/api/v1/contacts/${contact}/notes`).set(a.auth)).body.data).toEqual([]);

    // The note belongs to its contact: another contact's path does not reach it.
    const other = await createContact(http, a, 'Other');
    const kept = (await note(contact, { text: 'Kept' })).body.id;
    expectProblem(await http.get(`/api/v1/contacts/${other}/notes/${kept}`).set(a.auth), 404, 'note.not_found');
    expectProblem(await note('01a21290-0000-7000-8000-0000000000ab', { text: 'Nobody' }), 404, 'contact.not_found');
    await http.delete(`/api/v1/contacts/${other}`).set(a.auth).expect(204);
    expectProblem(await note(other, { text: 'Too late' }), 404, 'contact.not_found');
    expectProblem(await http.get(`/api/v1/contacts/${other}/notes`).set(a.auth), 404, 'contact.not_found');
  });

  it('lists pinned notes first, then the newest, across keyset pages', async () => {
    const { http } = t;
    const contact = await createContact(http, a, 'Ordered');
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await note(contact, { text: `Note ${i}`, pinned: i === 1 || i === 4 })).body.id);
    // Pin one more later, unpin nothing: pinning does not change a note's age.
    await http.patch(`/api/v1/contacts/${contact}/notes/${ids[2]}`).set(a.auth).send({ pinned: true }).expect(200);
    const expected = [ids[4], ids[2], ids[1], ids[6], ids[5], ids[3], ids[0]];
    const all = await http.get(`/api/v1/contacts/${contact}/notes`).set(a.auth);
    expect(all.body.data.map((n: Json) => n.id)).toEqual(expected);
    expect(all.body.nextCursor).toBeNull();

    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Json = await http.get(`/api/v1/contacts/${contact}/notes?limit=2${cursor ? `&cursor=${cursor}` : ''}`).set(a.auth);
      expect(res.status).toBe(200);
      paged.push(...res.body.data.map((n: Json) => n.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(expected);
    expectProblem(await http.get(`/api/v1/contacts/${contact}/notes?cursor=nope`).set(a.auth), 400, 'pagination.invalid_cursor');
  });

  it('puts note.created, note.updated and note.deleted on the contact timeline', async () => {
    const { http } = t;
    const contact = await createContact(http, a, 'Chronicled');
    const id = (await note(contact, { text: 'First call went well' })).body.id;
    await http.patch(`/api/v1/contacts/${contact}/notes/${id}`).set(a.auth).send({ pinned: true }).expect(200);
    await http.delete(`/api/v1/contacts/${contact}/notes/${id}`).set(a.auth).expect(204);
    const timeline = await timelineOf(http, a, contact, ['note.created', 'note.updated', 'note.deleted'], 3);
    expect(timeline.map((e) => [e.type, e.category, e.title])).toEqual([
      ['note.created', 'notes', 'Note added: First call went well'],
      ['note.updated', 'notes', 'Note changed'],
      ['note.deleted', 'notes', 'Note deleted'],
    ]);
    expect(timeline[0].payload).toEqual({
      noteId: id,
      contactId: contact,
      text: 'First call went well',
      pinned: false,
      authorId: a.userId,
    });
    expect(timeline[1].payload).toEqual({ noteId: id, contactId: contact, changes: { pinned: true } });
  });

  it('NotesApi.createNote writes a system note in the caller’s tenant, with the same event', async () => {
    const { http } = t;
    const contact = await createContact(http, a, 'Automated');
    const api = t.app.get<NotesApi>(NOTES_API);
    const tx = t.app.get(TransactionRunner);
    const { noteId } = await tx.runAsTenant(a.tenantId, () =>
      api.createNote({ projectId: a.projectId, contactId: contact, text: 'Routed', pinned: true }),
    );
    const listed = (await http.get(`/api/v1/contacts/${contact}/notes`).set(a.auth)).body.data;
    expect(listed).toEqual([expect.objectContaining({ id: noteId, text: 'Routed', pinned: true, authorId: null })]);
    await expect(
      tx.runAsTenant(a.tenantId, () =>
        api.createNote({ projectId: a.projectId, contactId: '01a21290-0000-7000-8000-0000000000ab', text: 'x' }),
      ),
    ).rejects.toMatchObject({ code: 'contact.not_found' });
    const other = await registerTenant(http, 'notes-other');
    await expect(
      tx.runAsTenant(other.tenantId, () => api.createNote({ projectId: other.projectId, contactId: contact, text: 'x' })),
    ).rejects.toMatchObject({
      code: 'contact.not_found',
    });
    const timeline = await timelineOf(http, a, contact, ['note.created'], 1);
    expect(timeline[0]).toMatchObject({ source: 'system', triggeredBy: null });
  });
});
