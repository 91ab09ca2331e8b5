import { ConfigError, loadConfig } from '#config/app-config';

describe('identity configuration', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({}).identity).toEqual({
      loginMaxFailuresPerMinute: 5,
      loginMaxPerAddressPerMinute: 30,
      registerPerHour: 10,
      apiKeysPerUserPerProject: 20,
      scryptLogN: 17,
      jwtIssuer: 'crm-backend',
      jwtAudience: 'crm-api',
      invitationTtlHours: 168,
    });
  });

  it('allows a scrypt cost below 2^17 only under NODE_ENV=test', () => {
    expect(loadConfig({ NODE_ENV: 'test', PASSWORD_SCRYPT_LOG_N: '12' }).identity.scryptLogN).toBe(12);
    expect(() => loadConfig({ PASSWORD_SCRYPT_LOG_N: '12' })).toThrow(ConfigError);
    expect(() => loadConfig({ PASSWORD_SCRYPT_LOG_N: '16' })).toThrow(/PASSWORD_SCRYPT_LOG_N must be an integer between 17 and 20/);
    expect(loadConfig({ PASSWORD_SCRYPT_LOG_N: '18', JWT_ISSUER: 'me', JWT_AUDIENCE: 'you' }).identity).toMatchObject({
      scryptLogN: 18,
      jwtIssuer: 'me',
      jwtAudience: 'you',
    });
    expect(() => loadConfig({ LOGIN_MAX_FAILURES_PER_MINUTE: '0', INVITATION_TTL_HOURS: 'soon' })).toThrow(/LOGIN_MAX_FAILURES_PER_MINUTE/);
  });
});
