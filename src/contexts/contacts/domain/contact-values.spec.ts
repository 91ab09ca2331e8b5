import { isIsoDate, isReservedKey, validHttpUrl, validLanguage, validTimezone } from './contact-values';

describe('contact values', () => {
  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['2020-02-30', false],
    ['2024-00-10', false],
    ['2024-12-31T23:59:59Z', true],
    ['2024-12-31T23:59:59.5-03:00', true],
    ['2024-12-31T24:00:00Z', false],
    ['2024-12-31T10:00:00', false],
    ['2024-12-31T10:00Z', true],
    ['2024-12-31T10:00:00+25:00', false],
    ['20241231', false],
  ])('isIsoDate(%s) is %s', (value, expected) => {
    expect(isIsoDate(value)).toBe(expected);
  });

  it('knows the reserved keys', () => {
    expect(['constructor', 'toString', '__proto__', '__defineGetter__'].every(isReservedKey)).toBe(true);
    expect(['plan', 'proto', 'string'].some(isReservedKey)).toBe(false);
  });

  it('checks zones, languages and URLs, and clears blanks', () => {
    expect(validTimezone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(validTimezone(' ')).toBeNull();
    expect(() => validTimezone('Europe/Atlantis')).toThrow(expect.objectContaining({ code: 'contact.invalid_timezone' }));
    expect(validLanguage('zh-Hant-TW')).toBe('zh-Hant-TW');
    expect(() => validLanguage('en_GB')).toThrow(expect.objectContaining({ code: 'contact.invalid_language' }));
    expect(validHttpUrl('u', 'https://example.com/x?y=1')).toBe('https://example.com/x?y=1');
    expect(() => validHttpUrl('u', 'mailto:a@example.com')).toThrow(expect.objectContaining({ code: 'contact.invalid_url' }));
  });
});
