import { ConfigControllerRegistry } from './ConfigControllerRegistry';
import { ControllerError } from './types';

describe('ConfigControllerRegistry', () => {
  const registry = new ConfigControllerRegistry([
    { name: 'prod', url: 'http://127.0.0.1:1', token: 't' },
    { name: 'staging', url: 'http://127.0.0.1:2/' },
  ]);

  it('keeps the configured order; the first controller is the default cluster', () => {
    expect(registry.clusters()).toEqual(['prod', 'staging']);
    expect(registry.defaultCluster()).toBe('prod');
    expect(registry.get('staging').cluster).toBe('staging');
  });

  it('answers an unknown cluster with a 404 ControllerError naming it', () => {
    expect(() => registry.get('qa')).toThrow(
      new ControllerError('qa', 404, 'no controller named "qa" is configured'),
    );
    try {
      registry.get('qa');
    } catch (error) {
      expect((error as ControllerError).status).toBe(404);
    }
  });

  it('refuses a name used twice, and has no default without controllers', () => {
    expect(
      () =>
        new ConfigControllerRegistry([
          { name: 'a', url: 'http://x' },
          { name: 'a', url: 'http://y' },
        ]),
    ).toThrow('the name "a" is used twice');
    expect(() => new ConfigControllerRegistry([]).defaultCluster()).toThrow(
      'no controller is configured',
    );
  });
});
