// Istio networking objects as JSON (the subset the router writes; unknown fields pass through).
import type {
  IstioCorsPolicy,
  IstioHTTPMatchRequest,
  IstioHTTPRetry,
  IstioHeaderOperations,
  IstioHeaders,
  IstioStringMatch,
  IstioTrafficPolicy,
} from '../../api/types.js';
import type { ObjectMeta } from '../kube.js';

export const ISTIO_API_VERSION = 'networking.istio.io/v1beta1';

// Route-level Istio fields come from the CRD's generated types (one source of truth).
export type StringMatch = IstioStringMatch;
export type HTTPMatchRequest = IstioHTTPMatchRequest;
export type HeaderOperations = IstioHeaderOperations;
export type Headers = IstioHeaders;
export type HTTPRetry = IstioHTTPRetry;
export type CorsPolicy = IstioCorsPolicy;
export type TrafficPolicy = IstioTrafficPolicy;

export interface PortSelector {
  number?: number;
  name?: string;
}

export interface Destination {
  host: string;
  subset?: string;
  port?: PortSelector;
}

export interface HTTPRouteDestination {
  destination: Destination;
  /** Always serialized, including 0 (spec 3.2). */
  weight: number;
  headers?: Headers;
}

export interface HTTPRewrite {
  uri?: string;
  authority?: string;
}

export interface HTTPRoute {
  name?: string;
  match?: HTTPMatchRequest[];
  route?: HTTPRouteDestination[];
  rewrite?: HTTPRewrite;
  timeout?: string;
  retries?: HTTPRetry;
  mirror?: Destination;
  mirrorPercentage?: { value: number };
  corsPolicy?: CorsPolicy;
  headers?: Headers;
  [key: string]: unknown;
}

export interface L4MatchAttributes {
  port?: number;
  [key: string]: unknown;
}

export interface TCPRoute {
  match?: L4MatchAttributes[];
  route: HTTPRouteDestination[];
}

export interface VirtualServiceSpec {
  hosts?: string[];
  gateways?: string[];
  http?: HTTPRoute[];
  tcp?: TCPRoute[];
  [key: string]: unknown;
}

export interface VirtualService {
  apiVersion: string;
  kind: 'VirtualService';
  metadata: ObjectMeta;
  spec: VirtualServiceSpec;
}

export interface DestinationRuleSpec {
  host: string;
  trafficPolicy?: TrafficPolicy;
  [key: string]: unknown;
}

export interface DestinationRule {
  apiVersion: string;
  kind: 'DestinationRule';
  metadata: ObjectMeta;
  spec: DestinationRuleSpec;
}
