/**
 * A problem found in a custom resource. `field` is the path from the object root, e.g.
 * `spec.analysis.stepWeights[2]`; `message` is a full sentence that starts with that path, so it
 * can be put on a status condition or an Event as it is.
 */
export interface ValidationProblem {
  field: string;
  message: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `spec` + `analysis` = `spec.analysis`; keys that are not identifiers use `["key"]`. */
export function joinField(base: string, key: string): string {
  if (!IDENTIFIER.test(key)) return `${base}[${JSON.stringify(key)}]`;
  return base ? `${base}.${key}` : key;
}

export function indexField(base: string, index: number): string {
  return `${base}[${index}]`;
}

export function problem(field: string, text: string): ValidationProblem {
  return { field, message: `${field || 'The object'} ${text}` };
}

/** Short, user-facing rendering of a value for messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return `the text ${JSON.stringify(shown)}`;
  }
  return String(value);
}

/** One line for a condition message: every problem, separated by "; ". */
export function summarizeProblems(problems: ValidationProblem[]): string {
  return problems.map(p => p.message.replace(/\.$/, '')).join('; ');
}
