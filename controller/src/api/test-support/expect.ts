import type { ValidationProblem } from '../problems.js';

/** Exactly one problem, on `field`, whose message starts with the field and contains `text`. */
export function expectOnly(problems: ValidationProblem[], field: string, text: string): void {
  expect(problems.map(p => p.field)).toEqual([field]);
  expect(problems[0]!.message.startsWith(`${field} `)).toBe(true);
  expect(problems[0]!.message).toContain(text);
}
