import { podinfoCanary } from '../__fixtures__/canary.js';
import { desiredPorts, discoverPorts, keepNodePorts, portsEqual } from './ports.js';
import type { Container } from './ports.js';

const podinfoContainers: Container[] = [
  {
    name: 'podinfo',
    ports: [
      { name: 'http', containerPort: 9898 },
      { name: 'http-metrics', containerPort: 8080 },
      { containerPort: 8888 },
    ],
  },
  { name: 'istio-proxy', ports: [{ name: 'http-envoy-prom', containerPort: 15090 }] },
];

describe('port discovery', () => {
  it('U13 PortDiscovery: adds every container port except sidecars and the main port', () => {
    const service = podinfoCanary({ portDiscovery: true }).spec.service;
    const extra = discoverPorts(service, podinfoContainers);
    expect(extra).toEqual([
      { name: 'http-metrics', port: 8080 },
      { name: 'tcp-podinfo-2', port: 8888 },
    ]);
    expect(desiredPorts(service, extra).map(p => [p.name, p.port])).toEqual([
      ['http', 9898],
      ['http-metrics', 8080],
      ['tcp-podinfo-2', 8888],
    ]);
  });

  it('U14 TargetPortNumber: port 80 → targetPort 9898 excludes the container port 9898', () => {
    const service = podinfoCanary({ port: 80, targetPort: 9898, portDiscovery: true }).spec.service;
    const ports = desiredPorts(service, discoverPorts(service, podinfoContainers));
    expect(ports.map(p => [p.name, p.port, p.targetPort])).toEqual([
      ['http', 80, 9898],
      ['http-metrics', 8080, 8080],
      ['tcp-podinfo-2', 8888, 8888],
    ]);
  });

  it('U14 TargetPortName: port 8080 → targetPort "http" excludes the port named http', () => {
    const service = podinfoCanary({ port: 8080, targetPort: 'http', portDiscovery: true }).spec
      .service;
    const ports = desiredPorts(service, discoverPorts(service, podinfoContainers));
    expect(ports.map(p => [p.name, p.port, p.targetPort])).toEqual([
      ['http', 8080, 'http'],
      ['http-metrics', 8080, 8080],
      ['tcp-podinfo-2', 8888, 8888],
    ]);
  });

  it('uses portName and appProtocol for the main port', () => {
    const service = podinfoCanary({ portName: 'grpc', appProtocol: 'grpc' }).spec.service;
    expect(desiredPorts(service, [])).toEqual([
      { name: 'grpc', protocol: 'TCP', port: 9898, targetPort: 9898, appProtocol: 'grpc' },
    ]);
  });
});

describe('port comparison', () => {
  it('ignores order and the defaults the API server fills in', () => {
    expect(
      portsEqual(
        [
          { name: 'a', port: 1, protocol: 'TCP', targetPort: 1 },
          { name: 'b', port: 2 },
        ],
        [
          { name: 'b', port: 2, protocol: 'TCP', targetPort: 2 },
          { name: 'a', port: 1 },
        ],
      ),
    ).toBe(true);
    expect(portsEqual([{ name: 'a', port: 1 }], [{ name: 'a', port: 2 }])).toBe(false);
  });

  it('keeps node ports allocated on the live Service', () => {
    expect(
      keepNodePorts([{ name: 'http', port: 80 }], [{ name: 'http', port: 80, nodePort: 30080 }]),
    ).toEqual([{ name: 'http', port: 80, nodePort: 30080 }]);
  });
});
