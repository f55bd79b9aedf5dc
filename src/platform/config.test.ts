import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('has working defaults for the zero-config start', () => {
    const config = loadConfig({}, '/srv/tocsin');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toBe('/srv/tocsin/data');
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.profilePath).toMatch(/profiles\/mit\.yaml$/);
    expect(config.oidc).toBeUndefined();
  });

  it('lists every bad variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({
        TOCSIN_PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        TOCSIN_LOG_LEVEL: 'loud',
        TOCSIN_COOKIE_SECURE: 'maybe',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of ['TOCSIN_PORT', 'DATABASE_URL', 'TOCSIN_LOG_LEVEL', 'TOCSIN_COOKIE_SECURE'])
      expect(message).toContain(name);
    expect((error as ConfigError).problems).toHaveLength(4);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', TOCSIN_PORT: '' }).port).toBe(3000);
  });

  it('needs all three single sign-on variables or none', () => {
    expect(() => loadConfig({ TOCSIN_OIDC_ISSUER: 'https://idp.example.edu' })).toThrow(/set all three/);
    const config = loadConfig({
      TOCSIN_OIDC_ISSUER: 'https://idp.example.edu',
      TOCSIN_OIDC_CLIENT_ID: 'tocsin',
      TOCSIN_OIDC_CLIENT_SECRET: 's3cret',
    });
    expect(config.oidc).toMatchObject({
      issuer: 'https://idp.example.edu',
      groupsClaim: 'groups',
      allowHttp: false,
    });
  });
});
