// Istio shapes that Aviary copies into VirtualServices and DestinationRules.
import {
  arr,
  bool,
  describe,
  duration,
  int,
  map,
  obj,
  openObj,
  str,
  strEnum,
  stringMap,
} from './build.js';
import type { SchemaNode } from './node.js';

export const istioStringMatch: SchemaNode = obj(
  'Istio string match. Set exactly one of exact, prefix or regex.',
  {
    exact: str('Matches when the value equals this string exactly.'),
    prefix: str('Matches when the value starts with this string.'),
    regex: str('Matches when the value matches this RE2 regular expression (fully anchored).'),
  },
  { tsName: 'IstioStringMatch' },
);

/** Flagger's CRD also lists `suffix` for A/B header matches; Istio has no such match. */
const headerMatchWithSuffix: SchemaNode = obj(
  'Istio string match for an A/B header condition. Set exactly one of exact, prefix or regex.',
  {
    exact: str('Matches when the header equals this string exactly.'),
    prefix: str('Matches when the header starts with this string.'),
    suffix: str(
      'Accepted because Flagger\u2019s CRD lists it, but Istio has no suffix match: Aviary reports it as a validation problem. Use regex instead.',
    ),
    regex: str('Matches when the header matches this RE2 regular expression (fully anchored).'),
  },
  { tsName: 'CanaryHeaderMatch' },
);

export const istioHttpMatchRequest: SchemaNode = obj(
  'Istio HTTPMatchRequest: conditions a request must meet to use the generated route. All conditions of one entry must hold; entries of a list are alternatives.',
  {
    name: str('Name of this match, copied into the route name Istio reports.'),
    uri: describe(istioStringMatch, 'Request path to match.'),
    scheme: describe(istioStringMatch, 'URI scheme to match (http, https).'),
    method: describe(istioStringMatch, 'HTTP method to match.'),
    authority: describe(istioStringMatch, 'Host/Authority header to match.'),
    headers: map(
      'Request headers that must match, keyed by lower-case header name.',
      istioStringMatch,
    ),
    withoutHeaders: map(
      'Request headers that must NOT match, keyed by lower-case header name.',
      istioStringMatch,
    ),
    queryParams: map(
      'Query parameters that must match, keyed by parameter name.',
      istioStringMatch,
    ),
    port: int('Port on the host being addressed; in TCP mode this is the L4 port match.', {
      minimum: 1,
      maximum: 65535,
    }),
    sourceLabels: stringMap(
      'Labels the calling workload must carry (only meaningful for the mesh gateway).',
      'Required label value.',
    ),
    sourceNamespace: str('Namespace the calling workload must run in.'),
    gateways: arr('Gateways this match applies to.', str('Gateway name, <namespace>/<name>.')),
    ignoreUriCase: bool('Match the URI case-insensitively.'),
  },
  { tsName: 'IstioHTTPMatchRequest' },
);

export const canaryAnalysisMatch: SchemaNode = obj(
  'A/B testing condition: requests that match it are sent to the canary during the analysis. It is combined with every spec.service.match entry.',
  {
    headers: map(
      'Request headers that must match, keyed by lower-case header name.',
      headerMatchWithSuffix,
    ),
    queryParams: map(
      'Query parameters that must match, keyed by parameter name.',
      istioStringMatch,
    ),
    sourceLabels: stringMap(
      'Labels the calling workload must carry; only applies when the mesh gateway is used.',
      'Required label value.',
    ),
  },
  { tsName: 'CanaryAnalysisMatch' },
);

export const istioRetries: SchemaNode = obj(
  'Retry policy copied into every generated HTTP route.',
  {
    attempts: int('Number of retries for one request.', { minimum: 0 }),
    perTryTimeout: duration('Timeout of each attempt, as a duration (e.g. 2s).'),
    retryOn: str('Comma-separated Envoy retry conditions, e.g. gateway-error,connect-failure.'),
  },
  { tsName: 'IstioHTTPRetry' },
);

const headerOperations: SchemaNode = obj(
  'Header changes applied to a request or response.',
  {
    add: stringMap('Headers to append.', 'Header value.'),
    set: stringMap('Headers to overwrite.', 'Header value.'),
    remove: arr('Headers to remove.', str('Header name.')),
  },
  { tsName: 'IstioHeaderOperations' },
);

export const istioHeaders: SchemaNode = obj(
  'Header manipulation copied into every generated HTTP route.',
  {
    request: describe(headerOperations, 'Changes to the request headers.'),
    response: describe(headerOperations, 'Changes to the response headers.'),
  },
  { tsName: 'IstioHeaders' },
);

export const istioCorsPolicy: SchemaNode = obj(
  'Cross-origin resource sharing (CORS) policy copied into every generated HTTP route.',
  {
    allowOrigin: arr(
      'Deprecated Istio field: allowed origins as exact strings. Prefer allowOrigins.',
      str('Allowed origin.'),
    ),
    allowOrigins: arr('Allowed origins, as string matches.', istioStringMatch),
    allowMethods: arr('Allowed HTTP methods.', str('HTTP method, e.g. GET.')),
    allowHeaders: arr('Request headers the browser may send.', str('Header name.')),
    exposeHeaders: arr('Response headers the browser may read.', str('Header name.')),
    maxAge: duration('How long the browser may cache the preflight response, e.g. 24h.'),
    allowCredentials: bool('Whether the browser may send credentials.'),
  },
  { tsName: 'IstioCorsPolicy' },
);

export const canaryRewrite: SchemaNode = obj(
  'URI and authority rewrite copied into every generated HTTP route.',
  {
    uri: str('Replacement for the path (or the matched prefix).'),
    authority: str('Replacement for the Host/Authority header.'),
    type: str(
      'Gateway API path modifier type (ReplaceFullPath, ReplacePrefixMatch); ignored with Istio.',
    ),
  },
  { tsName: 'CanaryRewrite' },
);

const loadBalancer = openObj('Load-balancing algorithm for the destination.', {
  simple: strEnum('Standard algorithm.', [
    'UNSPECIFIED',
    'RANDOM',
    'PASSTHROUGH',
    'ROUND_ROBIN',
    'LEAST_REQUEST',
    'LEAST_CONN',
  ]),
  consistentHash: openObj('Sticky, hash-based load balancing.', {
    httpHeaderName: str('Hash on this request header.'),
    httpCookie: openObj('Hash on this cookie (created when missing).', {
      name: str('Cookie name.'),
      path: str('Cookie path.'),
      ttl: duration('Cookie lifetime.'),
    }),
    httpQueryParameterName: str('Hash on this query parameter.'),
    useSourceIp: bool('Hash on the source IP address.'),
    minimumRingSize: int('Minimum number of virtual nodes of the hash ring.'),
  }),
  localityLbSetting: openObj('Locality-aware load balancing settings (passed to Istio as is).'),
  warmupDurationSecs: duration('Slow-start duration for new endpoints.'),
});

const connectionPool = openObj('Connection limits towards the destination.', {
  tcp: openObj('TCP connection settings.', {
    maxConnections: int('Maximum number of TCP connections.'),
    connectTimeout: duration('TCP connect timeout.'),
    tcpKeepalive: openObj('TCP keepalive settings (passed to Istio as is).'),
  }),
  http: openObj('HTTP connection settings.', {
    http1MaxPendingRequests: int('Maximum queued requests while waiting for a connection.'),
    http2MaxRequests: int('Maximum active requests.'),
    maxRequestsPerConnection: int('Maximum requests per connection (1 disables keep-alive).'),
    maxRetries: int('Maximum concurrent retries.'),
    idleTimeout: duration('Idle timeout of pooled connections.'),
    h2UpgradePolicy: strEnum('Whether HTTP/1.1 connections are upgraded to HTTP/2.', [
      'DEFAULT',
      'DO_NOT_UPGRADE',
      'UPGRADE',
    ]),
    useClientProtocol: bool('Use the protocol of the client connection.'),
  }),
});

const outlierDetection = openObj('Ejection of unhealthy endpoints.', {
  consecutiveErrors: int('Deprecated Istio field: consecutive errors before ejection.'),
  consecutive5xxErrors: int('Consecutive 5xx responses before an endpoint is ejected.'),
  consecutiveGatewayErrors: int('Consecutive 502/503/504 responses before an endpoint is ejected.'),
  consecutiveLocalOriginFailures: int('Consecutive locally originated failures before ejection.'),
  splitExternalLocalOriginErrors: bool('Count local-origin failures separately.'),
  interval: duration('Time between ejection sweeps.'),
  baseEjectionTime: duration('Minimum ejection duration.'),
  maxEjectionPercent: int('Maximum percentage of endpoints that may be ejected.'),
  minHealthPercent: int('Outlier detection is off below this healthy percentage.'),
});

const tls = openObj('TLS settings for connections to the destination.', {
  mode: strEnum('TLS mode.', ['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL']),
  clientCertificate: str('Client certificate file (MUTUAL mode).'),
  privateKey: str('Client private key file (MUTUAL mode).'),
  caCertificates: str('CA certificates file used to verify the server.'),
  credentialName: str('Secret holding the client credentials.'),
  subjectAltNames: arr('Accepted server subject alternative names.', str('A SAN.')),
  sni: str('SNI sent during the TLS handshake.'),
  insecureSkipVerify: bool('Skip verification of the server certificate.'),
});

export const istioTrafficPolicy: SchemaNode = openObj(
  'Istio traffic policy copied verbatim into both generated DestinationRules (<apex>-primary and <apex>-canary). Fields not listed here are kept and passed to Istio unchanged.',
  {
    loadBalancer,
    connectionPool,
    outlierDetection,
    tls,
    portLevelSettings: arr(
      'Per-port overrides of this policy (passed to Istio as is).',
      openObj('Traffic policy for one port.'),
    ),
  },
  { tsName: 'IstioTrafficPolicy' },
);
