import { podinfoCanary } from '../__fixtures__/canary.js';
import { KUBECTL_ANNOTATION, RouterError } from '../kube.js';
import { FLUX_MARKERS, MANAGED_METADATA_ANNOTATION } from '../metadata.js';
import { planVirtualServiceRevert } from './finalize.js';
import { istioRouter } from './router.js';
import type { VirtualService, VirtualServiceSpec } from './types.js';
import {
  FLAGGER_ORIGINAL_CONFIG_ANNOTATION,
  ORIGINAL_CONFIG_ANNOTATION,
  buildVirtualService,
  planVirtualService,
} from './virtual-service.js';

const kubectlSpec: VirtualServiceSpec = {
  gateways: ['istio-system/ingressgateway'],
  hosts: ['podinfo'],
  http: [{ route: [{ destination: { host: 'podinfo' }, weight: 100 }] }],
};

describe('R9 Finalize', () => {
  it('R9 no VirtualService: error', () => {
    expect(() => istioRouter.finalize(podinfoCanary(), {})).toThrow(RouterError);
  });

  it('R9 VirtualService without annotation: ok, no change, with a warning', () => {
    const plan = planVirtualServiceRevert(podinfoCanary(), buildVirtualService(podinfoCanary()));
    expect(plan).toEqual({
      action: 'none',
      warning: 'VirtualService podinfo.test original configuration not found, unable to revert',
    });
  });

  it('R9 with the saved original configuration: spec = stored, object handed back', () => {
    const userVs: VirtualService = {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'VirtualService',
      metadata: { name: 'podinfo', namespace: 'test', labels: { mine: 'yes' } },
      spec: kubectlSpec,
    };
    const takenOver = planVirtualService(
      podinfoCanary({ apex: { labels: { tier: 'web' } } }),
      userVs,
    ).plan;
    if (takenOver.action !== 'update') throw new Error('expected an update');
    const plan = planVirtualServiceRevert(podinfoCanary(), takenOver.object);
    if (plan.action !== 'update') throw new Error('expected an update');
    expect(plan.object.spec).toEqual(kubectlSpec);
    expect(plan.object.metadata.labels).toEqual({ mine: 'yes' });
    const annotations = plan.object.metadata.annotations ?? {};
    for (const key of [
      ORIGINAL_CONFIG_ANNOTATION,
      MANAGED_METADATA_ANNOTATION,
      ...Object.keys(FLUX_MARKERS),
    ]) {
      expect(annotations[key]).toBeUndefined();
    }
  });

  it("R9 with Flagger's original-configuration annotation (migrated object): spec = stored", () => {
    const vs = buildVirtualService(podinfoCanary());
    vs.metadata.annotations = { [FLAGGER_ORIGINAL_CONFIG_ANNOTATION]: JSON.stringify(kubectlSpec) };
    const plan = planVirtualServiceRevert(podinfoCanary(), vs);
    expect(plan).toMatchObject({ action: 'update', object: { spec: kubectlSpec } });
  });

  it('R9 with the kubectl annotation: spec = kubectl spec', () => {
    const vs = buildVirtualService(podinfoCanary());
    vs.metadata.annotations = {
      ...vs.metadata.annotations,
      [KUBECTL_ANNOTATION]: JSON.stringify({
        apiVersion: 'networking.istio.io/v1beta1',
        kind: 'VirtualService',
        spec: kubectlSpec,
      }),
      [ORIGINAL_CONFIG_ANNOTATION]: JSON.stringify({ hosts: ['ignored'] }),
    };
    const plan = planVirtualServiceRevert(podinfoCanary(), vs);
    expect(plan).toMatchObject({ action: 'update', object: { spec: kubectlSpec } });
  });

  it('R9 an unreadable annotation is an error naming it', () => {
    const vs = buildVirtualService(podinfoCanary());
    vs.metadata.annotations = { [KUBECTL_ANNOTATION]: '{not json' };
    expect(() => planVirtualServiceRevert(podinfoCanary(), vs)).toThrow(
      `VirtualService podinfo.test failed to unmarshal annotation ${KUBECTL_ANNOTATION}`,
    );
  });
});
