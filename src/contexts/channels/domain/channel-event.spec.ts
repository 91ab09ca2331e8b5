import { advanceStatus, MessageStatus } from './channel-event';

describe('advanceStatus', () => {
  const ladder: MessageStatus[] = ['pending', 'sent', 'delivered', 'read', 'played'];

  it('moves forward and never back along pending, sent, delivered, read, played', () => {
    for (const [i, current] of ladder.entries())
      for (const [j, incoming] of ladder.entries()) expect(advanceStatus(current, incoming)).toBe(j > i ? incoming : current);
  });

  it('fails only a message that was pending or sent', () => {
    expect(advanceStatus('pending', 'failed')).toBe('failed');
    expect(advanceStatus('sent', 'failed')).toBe('failed');
    expect(advanceStatus('delivered', 'failed')).toBe('delivered');
    expect(advanceStatus('read', 'failed')).toBe('read');
    expect(advanceStatus('played', 'failed')).toBe('played');
  });

  it('keeps failed against a late pending or sent, and gives way to proof of delivery', () => {
    expect(advanceStatus('failed', 'pending')).toBe('failed');
    expect(advanceStatus('failed', 'sent')).toBe('failed');
    expect(advanceStatus('failed', 'failed')).toBe('failed');
    expect(advanceStatus('failed', 'delivered')).toBe('delivered');
    expect(advanceStatus('failed', 'read')).toBe('read');
  });
});
