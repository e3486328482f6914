/**
 * The subset of Kubernetes JSONPath used by printer columns and `kubectl wait --for=jsonpath`:
 * `.a.b`, `.a[0]`, `.a[*].b` and `.a[?(@.type=="Ready")].status`.
 */

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number | '*' }
  | { kind: 'filter'; path: string[]; value: string };

function parse(expr: string): Step[] {
  let text = expr.trim();
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1);
  if (text.startsWith('$')) text = text.slice(1);
  const steps: Step[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '.') {
      i++;
      let name = '';
      while (i < text.length && text[i] !== '.' && text[i] !== '[') name += text[i++];
      if (name) steps.push({ kind: 'field', name });
    } else if (ch === '[') {
      const end = text.indexOf(']', i);
      if (end < 0) throw new Error(`unterminated [ in ${expr}`);
      const inner = text.slice(i + 1, end).trim();
      i = end + 1;
      const filter = /^\?\(@\.([\w.]+)\s*==\s*["']?([^"']*)["']?\)$/.exec(inner);
      if (filter)
        steps.push({ kind: 'filter', path: (filter[1] ?? '').split('.'), value: filter[2] ?? '' });
      else if (inner === '*') steps.push({ kind: 'index', index: '*' });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else steps.push({ kind: 'field', name: inner.replace(/^['"]|['"]$/g, '') });
    } else {
      throw new Error(`unexpected "${ch}" in JSONPath ${expr}`);
    }
  }
  return steps;
}

function get(value: unknown, path: string[]): unknown {
  let cur = value;
  for (const p of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** All values the expression selects (an empty array when nothing matches). */
export function evaluateJsonPath(root: unknown, expr: string): unknown[] {
  let current: unknown[] = [root];
  for (const step of parse(expr)) {
    const next: unknown[] = [];
    for (const value of current) {
      if (step.kind === 'field') {
        if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
          const v = (value as Record<string, unknown>)[step.name];
          if (v !== undefined) next.push(v);
        }
      } else if (!Array.isArray(value)) {
        continue;
      } else if (step.kind === 'index') {
        if (step.index === '*') next.push(...value);
        else {
          const v = value[step.index < 0 ? value.length + step.index : step.index];
          if (v !== undefined) next.push(v);
        }
      } else {
        next.push(...value.filter(item => String(get(item, step.path)) === step.value));
      }
    }
    current = next;
  }
  return current;
}
