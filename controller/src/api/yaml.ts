/**
 * A small YAML writer for generated manifests. Its output is already in the shape Prettier
 * gives YAML (2-space indent, indented sequences, single quotes only where needed), so the
 * committed CRDs pass `prettier --check` without running Prettier at generation time.
 */
import type { JsonValue } from './schema/node.js';

const YAML_WORDS = /^(true|false|yes|no|on|off|y|n|null|~)$/i;
const NUMBER_LIKE = /^[-+.]?[0-9]/;
const INDICATOR_START = /^[-?:,[\]{}#&*!|>'"%@`\s]/;

function isPlainSafe(text: string): boolean {
  return (
    text.length > 0 &&
    text.trim() === text &&
    !INDICATOR_START.test(text) &&
    !NUMBER_LIKE.test(text) &&
    !YAML_WORDS.test(text) &&
    !text.includes(': ') &&
    !text.includes(' #') &&
    !text.endsWith(':') &&
    // Control characters can only be written in a double-quoted scalar.
    // eslint-disable-next-line no-control-regex
    !/[\u0000-\u001f\u007f]/.test(text)
  );
}

export function yamlString(text: string): string {
  if (isPlainSafe(text)) return text;
  // eslint-disable-next-line no-control-regex
  const needsEscapes = /[\u0000-\u001f\u007f]/.test(text);
  if (needsEscapes || (text.includes("'") && !text.includes('"'))) return JSON.stringify(text);
  return `'${text.replace(/'/g, "''")}'`;
}

function scalar(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return yamlString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return '[]';
  return '{}';
}

function isBlock(value: JsonValue): value is JsonValue[] | { [key: string]: JsonValue } {
  if (Array.isArray(value)) return value.length > 0;
  return typeof value === 'object' && value !== null && Object.keys(value).length > 0;
}

function emit(value: JsonValue, indent: number, out: string[]): void {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    for (const item of value) {
      if (!isBlock(item)) {
        out.push(`${pad}- ${scalar(item)}`);
        continue;
      }
      const nested: string[] = [];
      emit(item, indent + 2, nested);
      const [first = '', ...rest] = nested;
      out.push(`${pad}- ${first.slice(indent + 2)}`, ...rest);
    }
    return;
  }
  if (typeof value !== 'object' || value === null) {
    out.push(`${pad}${scalar(value)}`);
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    const name = yamlString(key);
    if (isBlock(child)) {
      out.push(`${pad}${name}:`);
      emit(child, indent + 2, out);
    } else {
      out.push(`${pad}${name}: ${scalar(child)}`);
    }
  }
}

/** Serialises one document; `comments` become leading `#` lines. */
export function toYaml(value: JsonValue, comments: string[] = []): string {
  const lines = comments.map(line => `# ${line}`);
  emit(value, 0, lines);
  return `${lines.join('\n')}\n`;
}
