import { generateApiKeySecret, parseApiKey, secretMatches } from './api-key-secret';

describe('API key secrets', () => {
  it('round-trip: a generated key parses back to its prefix and a secret matching the stored hash', () => {
    const generated = generateApiKeySecret();
    const parsed = parseApiKey(generated.key);
    expect(parsed?.prefix).toBe(generated.prefix);
    expect(secretMatches(parsed!.secret, generated.hash)).toBe(true);
    expect(generated.hash).not.toContain(parsed!.secret);
  });

  it('refuses another secret and malformed keys', () => {
    const generated = generateApiKeySecret();
    const other = parseApiKey(generateApiKeySecret().key)!;
    expect(secretMatches(other.secret, generated.hash)).toBe(false);
    expect(parseApiKey('itsm_short_x')).toBeUndefined();
    expect(parseApiKey(`Bearer ${generated.key}`)).toBeUndefined();
  });
});
