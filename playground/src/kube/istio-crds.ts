/**
 * Istio's networking CRDs as a cluster with Istio installed serves them: VirtualService,
 * DestinationRule and Gateway in networking.istio.io, versions v1alpha3, v1beta1 and v1. The
 * specs are kept whole (Istio validates them in its own webhook, which the emulator does not run).
 */
import type { KubeObject } from './types.js';

function istioCrd(kind: string, plural: string, shortNames: string[]): KubeObject {
  const schema = {
    openAPIV3Schema: {
      type: 'object',
      properties: {
        spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
  };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${plural}.networking.istio.io`,
      labels: { app: 'istio-pilot', chart: 'istio' },
    },
    spec: {
      group: 'networking.istio.io',
      scope: 'Namespaced',
      names: {
        kind,
        listKind: `${kind}List`,
        plural,
        singular: kind.toLowerCase(),
        shortNames,
        categories: ['istio-io', 'networking-istio-io'],
      },
      versions: ['v1', 'v1beta1', 'v1alpha3'].map(name => ({
        name,
        served: true,
        storage: name === 'v1beta1',
        schema,
        subresources: { status: {} },
        additionalPrinterColumns: [
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
      })),
    },
  };
}

export const ISTIO_CRDS: KubeObject[] = [
  istioCrd('VirtualService', 'virtualservices', ['vs']),
  istioCrd('DestinationRule', 'destinationrules', ['dr']),
  istioCrd('Gateway', 'gateways', ['gw']),
];
