// Comparison with Kubernetes/Go `omitempty` semantics: a field that is absent, null, "", false,
// [] or {} means "not set", so a live object read back from the API server equals what we built.

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.values(value).every(isEmpty);
  return false;
}

export function semanticEqual(a: unknown, b: unknown): boolean {
  if (isEmpty(a) && isEmpty(b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => semanticEqual(item, b[i]));
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const left = a as Record<string, unknown>;
    const right = b as Record<string, unknown>;
    const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
    for (const key of keys) {
      if (!semanticEqual(left[key], right[key])) return false;
    }
    return true;
  }
  return a === b;
}

/** Deep copy of plain JSON data (the objects we handle never hold functions or dates). */
export function clone<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}
