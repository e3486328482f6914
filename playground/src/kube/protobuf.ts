/**
 * Decodes the Kubernetes protobuf envelope for the few kinds that kubectl's typed generators
 * send as protobuf (`kubectl create namespace|configmap|secret|serviceaccount`). Responses stay
 * JSON, which those clients also accept. Other kinds are refused with 415.
 */
import { ApiError } from './errors.js';

type FieldType =
  | 'string'
  | 'bytes'
  | 'bool'
  | 'int'
  | 'time'
  | 'strings'
  | 'stringMap'
  | 'bytesMap'
  | { message: Schema; repeated?: boolean };
type Schema = Record<number, [name: string, type: FieldType]>;

const OWNER_REFERENCE: Schema = {
  1: ['kind', 'string'],
  3: ['name', 'string'],
  4: ['uid', 'string'],
  5: ['apiVersion', 'string'],
  6: ['controller', 'bool'],
  7: ['blockOwnerDeletion', 'bool'],
};
const OBJECT_META: Schema = {
  1: ['name', 'string'],
  2: ['generateName', 'string'],
  3: ['namespace', 'string'],
  5: ['uid', 'string'],
  6: ['resourceVersion', 'string'],
  7: ['generation', 'int'],
  8: ['creationTimestamp', 'time'],
  11: ['labels', 'stringMap'],
  12: ['annotations', 'stringMap'],
  13: ['ownerReferences', { message: OWNER_REFERENCE, repeated: true }],
  14: ['finalizers', 'strings'],
};
const LOCAL_REF: Schema = { 1: ['name', 'string'] };
const OBJECT_REF: Schema = {
  1: ['kind', 'string'],
  2: ['namespace', 'string'],
  3: ['name', 'string'],
  4: ['uid', 'string'],
  5: ['apiVersion', 'string'],
};

const KINDS: Record<string, Schema> = {
  'v1/Namespace': {
    1: ['metadata', { message: OBJECT_META }],
    2: ['spec', { message: { 1: ['finalizers', 'strings'] } }],
  },
  'v1/ConfigMap': {
    1: ['metadata', { message: OBJECT_META }],
    2: ['data', 'stringMap'],
    3: ['binaryData', 'bytesMap'],
    4: ['immutable', 'bool'],
  },
  'v1/Secret': {
    1: ['metadata', { message: OBJECT_META }],
    2: ['data', 'bytesMap'],
    3: ['type', 'string'],
    4: ['stringData', 'stringMap'],
    5: ['immutable', 'bool'],
  },
  'v1/ServiceAccount': {
    1: ['metadata', { message: OBJECT_META }],
    2: ['secrets', { message: OBJECT_REF, repeated: true }],
    3: ['imagePullSecrets', { message: LOCAL_REF, repeated: true }],
    4: ['automountServiceAccountToken', 'bool'],
  },
};

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

class Reader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint');
      const b = this.buf[this.pos++] ?? 0;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 70n) throw new Error('varint too long');
    }
  }
  bytes(): Buffer {
    const len = Number(this.varint());
    if (this.pos + len > this.buf.length) throw new Error('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 2) this.bytes();
    else if (wireType === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wireType}`);
  }
}

function decodeMapEntry(buf: Buffer, bytesValue: boolean): [string, string] {
  const r = new Reader(buf);
  let key = '';
  let value = '';
  while (!r.done) {
    const tag = Number(r.varint());
    if (tag >> 3 === 1 && (tag & 7) === 2) key = r.bytes().toString('utf8');
    else if (tag >> 3 === 2 && (tag & 7) === 2) {
      const raw = r.bytes();
      value = bytesValue ? raw.toString('base64') : raw.toString('utf8');
    } else r.skip(tag & 7);
  }
  return [key, value];
}

function decodeMessage(buf: Buffer, schema: Schema): Record<string, unknown> {
  const r = new Reader(buf);
  const out: Record<string, unknown> = {};
  while (!r.done) {
    const tag = Number(r.varint());
    const field = schema[tag >> 3];
    if (!field) {
      r.skip(tag & 7);
      continue;
    }
    const [name, type] = field;
    if (type === 'bool' || type === 'int') {
      const v = r.varint();
      out[name] = type === 'bool' ? v !== 0n : Number(v);
      continue;
    }
    const raw = r.bytes();
    if (type === 'string') out[name] = raw.toString('utf8');
    else if (type === 'bytes') out[name] = raw.toString('base64');
    else if (type === 'strings')
      out[name] = [...((out[name] as string[] | undefined) ?? []), raw.toString('utf8')];
    else if (type === 'stringMap' || type === 'bytesMap') {
      const [k, v] = decodeMapEntry(raw, type === 'bytesMap');
      out[name] = { ...((out[name] as Record<string, string> | undefined) ?? {}), [k]: v };
    } else if (type === 'time') {
      const t = decodeMessage(raw, { 1: ['seconds', 'int'] });
      out[name] = new Date(Number(t.seconds ?? 0) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    } else {
      const value = decodeMessage(raw, type.message);
      out[name] = type.repeated ? [...((out[name] as unknown[] | undefined) ?? []), value] : value;
    }
  }
  return out;
}

export function isProtobuf(contentType: string | undefined): boolean {
  return !!contentType && contentType.includes('application/vnd.kubernetes.protobuf');
}

/** The JSON form of a protobuf-encoded object, or 415 for kinds the emulator cannot decode. */
export function decodeProtobufObject(body: Buffer): Record<string, unknown> {
  const refuse = (what: string) =>
    new ApiError(
      415,
      'UnsupportedMediaType',
      `the emulator accepts protobuf only for Namespace, ConfigMap, Secret and ServiceAccount (${what}); send application/json`,
    );
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw refuse('no protobuf envelope');
  let envelope: Record<string, unknown>;
  try {
    envelope = decodeMessage(body.subarray(4), {
      1: ['typeMeta', { message: { 1: ['apiVersion', 'string'], 2: ['kind', 'string'] } }],
      2: ['raw', 'bytes'],
    });
  } catch (e) {
    throw new ApiError(
      400,
      'BadRequest',
      `the protobuf body could not be decoded: ${(e as Error).message}`,
    );
  }
  const typeMeta = (envelope.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const schema = KINDS[`${typeMeta.apiVersion ?? ''}/${typeMeta.kind ?? ''}`];
  if (!schema) throw refuse(`got ${typeMeta.apiVersion ?? '?'} ${typeMeta.kind ?? '?'}`);
  try {
    const object = decodeMessage(Buffer.from(String(envelope.raw ?? ''), 'base64'), schema);
    return { apiVersion: typeMeta.apiVersion, kind: typeMeta.kind, ...object };
  } catch (e) {
    throw new ApiError(
      400,
      'BadRequest',
      `the protobuf body could not be decoded: ${(e as Error).message}`,
    );
  }
}
