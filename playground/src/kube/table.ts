/** `meta.k8s.io/v1 Table` output: what `kubectl get` asks for and prints as columns. */
import type { ResourceVersionInfo, TableColumn } from './resources.js';
import type { KubeObject } from './types.js';
import { humanAge } from './builtins.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableFormat {
  apiVersion: string;
  includeObject: IncludeObject;
}

/** Parses an Accept header; returns the Table format when the client asks for tables. */
export function tableFormatOf(
  accept: string | undefined,
  includeObject: string | undefined,
): TableFormat | undefined {
  if (!accept) return undefined;
  for (const part of accept.split(',')) {
    const params = part.split(';').map(p => p.trim());
    if (!params.includes('as=Table')) continue;
    const version = params.find(p => p.startsWith('v='))?.slice(2) ?? 'v1';
    const include =
      includeObject === 'None' || includeObject === 'Object' ? includeObject : 'Metadata';
    return { apiVersion: `meta.k8s.io/${version}`, includeObject: include };
  }
  return undefined;
}

const nameColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
  priority: 0,
};

function rowObject(o: KubeObject, include: IncludeObject): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return o;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

/** Date columns are shown as ages ("5m"), as the API server renders them. */
function cellValue(c: TableColumn, o: KubeObject, now: number): unknown {
  const v = c.cell(o, now) ?? null;
  if (c.type === 'date' && typeof v === 'string' && v) return humanAge(v, now);
  return v;
}

export function toTable(
  objects: KubeObject[],
  version: ResourceVersionInfo,
  format: TableFormat,
  resourceVersion: string,
  continueToken?: string,
): Record<string, unknown> {
  const columns = version.columns;
  const now = Date.now();
  return {
    kind: 'Table',
    apiVersion: format.apiVersion,
    metadata: { resourceVersion, ...(continueToken ? { continue: continueToken } : {}) },
    columnDefinitions: [
      { ...nameColumn, priority: version.namePriority ?? 0 },
      ...columns.map(c => ({
        name: c.name,
        type: c.type,
        format: c.format ?? '',
        description: c.description ?? '',
        priority: c.priority,
      })),
    ],
    rows: objects.map(o => ({
      cells: [o.metadata.name ?? '', ...columns.map(c => cellValue(c, o, now))],
      object: rowObject(o, format.includeObject),
    })),
  };
}
