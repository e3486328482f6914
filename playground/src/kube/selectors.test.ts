import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
} from './selectors.js';
import { ApiError } from './errors.js';
import type { KubeObject } from './types.js';

describe('label selectors', () => {
  const labels = { app: 'podinfo', tier: 'web', 'app.kubernetes.io/name': 'x' };
  it.each([
    ['app=podinfo', true],
    ['app==podinfo', true],
    ['app!=podinfo', false],
    ['app=other', false],
    ['app in (a, podinfo)', true],
    ['app notin (podinfo)', false],
    ['missing notin (x)', true],
    ['tier', true],
    ['!tier', false],
    ['!missing', true],
    ['app=podinfo,tier=web', true],
    ['app=podinfo,tier=db', false],
    ['app.kubernetes.io/name=x', true],
    ['', true],
  ])('%s matches: %s', (selector, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected);
  });

  it('treats a missing label as not equal (!=) but not as present', () => {
    expect(matchesLabels(parseLabelSelector('env!=prod'), {})).toBe(true);
    expect(matchesLabels(parseLabelSelector('env'), undefined)).toBe(false);
  });

  it('rejects malformed keys with a 400 BadRequest', () => {
    expect(() => parseLabelSelector('bad key=1')).toThrow(ApiError);
    try {
      parseLabelSelector('-x=1');
    } catch (e) {
      expect((e as ApiError).code).toBe(400);
      expect((e as ApiError).message).toContain('invalid label key "-x"');
    }
  });
});

describe('field selectors', () => {
  const event: KubeObject = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'e1', namespace: 'default' },
    involvedObject: { kind: 'Canary', name: 'podinfo', uid: 'u1' },
    type: 'Warning',
  };
  it('matches dotted paths with = and !=', () => {
    expect(
      matchesFields(
        parseFieldSelector('involvedObject.name=podinfo,involvedObject.kind=Canary'),
        event,
      ),
    ).toBe(true);
    expect(matchesFields(parseFieldSelector('type!=Warning'), event)).toBe(false);
    expect(matchesFields(parseFieldSelector('metadata.name=e1'), event)).toBe(true);
    expect(matchesFields(parseFieldSelector('involvedObject.uid=other'), event)).toBe(false);
  });
  it('compares a missing field as the empty string', () => {
    expect(matchesFields(parseFieldSelector('spec.nodeName='), event)).toBe(true);
  });
  it('rejects a term without an operator', () => {
    expect(() => parseFieldSelector('metadata.name')).toThrow('invalid field selector');
  });
});
