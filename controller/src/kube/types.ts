// Plain JSON shapes shared by the kube module. Objects are kept as the API server sends them
// (no client-node model classes), so timestamps stay strings and builders stay structural.
import type { ObjectMeta } from '../api/meta.js';

export type { ObjectMeta };

/** Any Kubernetes object, as JSON. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

/** Where a resource lives in the REST API: `/apis/<group>/<version>/.../<plural>`. */
export interface ResourceType {
  /** '' for the core group. */
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
}

/** Structured log sink; fields are plain data (never Secret contents). */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A cheap clock so tests control time where it matters (leases, event timestamps). */
export type Clock = () => Date;
