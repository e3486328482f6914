import { DateTime } from 'luxon';
import { podinfoCanary } from '../router/__fixtures__/canary.js';
import { canaryChecksum, eventPayload, hookPayload } from './payload.js';

const canary = {
  ...podinfoCanary(),
  status: {
    phase: 'Progressing' as const,
    lastAppliedSpec: 'abc123',
    trackedConfigs: { 'configmap/cfg': '0011' },
  },
};

describe('webhook payload', () => {
  it('U21 carries name, namespace, phase, checksum and the hook metadata', () => {
    expect(
      hookPayload(canary, 'Progressing', {
        name: 'load',
        url: 'http://x',
        metadata: { cmd: 'hey' },
      }),
    ).toEqual({
      name: 'podinfo',
      namespace: 'test',
      phase: 'Progressing',
      checksum: canaryChecksum(canary.status),
      metadata: { cmd: 'hey' },
    });
  });

  it('omits empty metadata', () => {
    expect(
      hookPayload(canary, 'Succeeded', { name: 'h', url: 'http://x', metadata: {} }),
    ).not.toHaveProperty('metadata');
  });

  it('U21 checksum changes with trackedConfigs or lastAppliedSpec, and nil differs from empty', () => {
    const a = canaryChecksum({ lastAppliedSpec: 'abc', trackedConfigs: { 'secret/s': '1' } });
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(
      canaryChecksum({ lastAppliedSpec: 'abd', trackedConfigs: { 'secret/s': '1' } }),
    ).not.toBe(a);
    expect(
      canaryChecksum({ lastAppliedSpec: 'abc', trackedConfigs: { 'secret/s': '2' } }),
    ).not.toBe(a);
    expect(canaryChecksum({ lastAppliedSpec: 'abc' })).not.toBe(
      canaryChecksum({ lastAppliedSpec: 'abc', trackedConfigs: {} }),
    );
    expect(canaryChecksum({ lastAppliedSpec: 'abc', trackedConfigs: { a: '1', b: '2' } })).toBe(
      canaryChecksum({ lastAppliedSpec: 'abc', trackedConfigs: { b: '2', a: '1' } }),
    );
  });

  it('event hooks get the current phase and event metadata, hook keys only where they do not clash', () => {
    const now = DateTime.fromMillis(1_767_225_600_123);
    const hook = {
      name: 'events',
      url: 'http://x',
      type: 'event' as const,
      metadata: { eventType: 'x', team: 'a' },
    };
    expect(
      eventPayload(
        canary,
        hook,
        { message: 'Advance podinfo.test canary weight 10', type: 'Normal' },
        now,
      ),
    ).toEqual({
      name: 'podinfo',
      namespace: 'test',
      phase: 'Progressing',
      checksum: canaryChecksum(canary.status),
      metadata: {
        eventMessage: 'Advance podinfo.test canary weight 10',
        eventType: 'Normal',
        timestamp: '1767225600123',
        team: 'a',
      },
    });
  });
});
