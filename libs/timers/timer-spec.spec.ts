import { MAX_KEY_LENGTH, MAX_KIND_LENGTH, timerEventType, validateTimerRequest } from './timer-spec';

describe('timer requests', () => {
  const ok = { kind: 'session.inactivity', key: 'a', dueAt: new Date() };

  it('accepts dotted lower-case kinds, keys of 1 to 200 characters and valid dates', () => {
    for (const kind of ['session', 'session.inactivity', 'message_group.debounce', 'a1.b2_c', 'x'.repeat(MAX_KIND_LENGTH)])
      expect(() => validateTimerRequest({ ...ok, kind })).not.toThrow();
    expect(() => validateTimerRequest({ ...ok, key: 'k'.repeat(MAX_KEY_LENGTH) })).not.toThrow();
    // cancel passes no date
    expect(() => validateTimerRequest({ kind: ok.kind, key: ok.key })).not.toThrow();
  });

  it('refuses kinds that make odd event types', () => {
    for (const kind of [
      '',
      'Session',
      'session.',
      '.session',
      'session..x',
      '1session',
      'session inactivity',
      'session.*',
      'x'.repeat(MAX_KIND_LENGTH + 1),
    ])
      expect(() => validateTimerRequest({ ...ok, kind })).toThrow(/timer kind/);
  });

  it('refuses empty or oversized keys and invalid dates', () => {
    expect(() => validateTimerRequest({ ...ok, key: '' })).toThrow(/timer key/);
    expect(() => validateTimerRequest({ ...ok, key: 'k'.repeat(MAX_KEY_LENGTH + 1) })).toThrow(/timer key/);
    expect(() => validateTimerRequest({ ...ok, dueAt: new Date('not a date') })).toThrow(/dueAt/);
    expect(() => validateTimerRequest({ ...ok, dueAt: '2026-01-01' as unknown as Date })).toThrow(/dueAt/);
  });

  it('names the event type timer.<kind>', () => {
    expect(timerEventType('session.inactivity')).toBe('timer.session.inactivity');
  });
});
