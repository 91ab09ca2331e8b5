import { verifiedBy } from '../../../../test/support/webhook-receiver';
import { generateSecret, secretKey, signatureHeader } from './standard-webhooks';
import { isPrivateAddress, literalAddress } from './private-addresses';

// The Standard Webhooks test vector (the reference libraries' tests use it).
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TIMESTAMP = 1614265330;
const BODY = '{"test": 2432232314}';

describe('Standard Webhooks signatures', () => {
  it('reproduces the reference signature', () => {
    expect(signatureHeader([SECRET], ID, TIMESTAMP, BODY)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('lists one signature per secret, space-separated, the current one first (rotation)', () => {
    const other = generateSecret();
    const header = signatureHeader([other, SECRET], ID, TIMESTAMP, BODY);
    const [first, second] = header.split(' ');
    expect(second).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    expect(first).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(first).not.toBe(second);
  });

  it('makes whsec_ secrets of 32 random bytes and refuses any other form', () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^whsec_/);
    expect(secretKey(secret)).toHaveLength(32);
    expect(generateSecret()).not.toBe(secret);
    expect(() => secretKey('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toThrow(/whsec_/);
  });

  it("is verified by the tests' receiver, written from the specification, within its timestamp tolerance", () => {
    const now = Math.floor(Date.now() / 1000);
    const headers = { 'webhook-id': ID, 'webhook-timestamp': String(now), 'webhook-signature': signatureHeader([SECRET], ID, now, BODY) };
    expect(verifiedBy([SECRET], headers, BODY)).toEqual([0]);
    const stale = { ...headers, 'webhook-timestamp': String(TIMESTAMP) };
    expect(verifiedBy([SECRET], stale, BODY)).toEqual([]);
  });
});

describe('private addresses', () => {
  it.each([
    '127.0.0.1',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fd00:ec2::254',
    '::ffff:127.0.0.1',
    '64:ff9b::a00:1',
    'not-an-ip',
  ])('refuses %s', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '172.32.0.1'])('allows %s', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });

  it('reads literal hosts, bracketed IPv6 included', () => {
    expect(literalAddress('[::1]')).toBe('::1');
    expect(literalAddress('127.0.0.1')).toBe('127.0.0.1');
    expect(literalAddress('example.com')).toBeUndefined();
  });
});
