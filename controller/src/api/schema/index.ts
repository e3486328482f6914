// Every CRD Aviary defines, in the order they are generated.
import { alertProviderCrd } from './alert-provider.js';
import { canaryCrd } from './canary.js';
import type { CrdDefinition } from './common.js';
import { metricTemplateCrd } from './metric-template.js';

export const crdDefinitions: CrdDefinition[] = [canaryCrd, metricTemplateCrd, alertProviderCrd];

export { alertProviderCrd, canaryCrd, metricTemplateCrd };
export type { CrdDefinition, PrinterColumn } from './common.js';
export type { SchemaNode } from './node.js';
