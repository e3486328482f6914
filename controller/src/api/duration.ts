// Go's time.ParseDuration syntax: "300ms", "1.5h", "2h45m", "-1m"; a bare "0" is allowed.
const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3, // U+00B5 micro sign
  μs: 1e-3, // U+03BC Greek mu
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const SEGMENT = /([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)/y;

/** Milliseconds (possibly fractional) for a Go duration, or undefined when it does not parse. */
export function parseGoDuration(text: string): number | undefined {
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let total = 0;
  SEGMENT.lastIndex = 0;
  while (SEGMENT.lastIndex < rest.length) {
    const at = SEGMENT.lastIndex;
    const match = SEGMENT.exec(rest);
    if (!match || match.index !== at) return undefined;
    const [, amount = '', unit = ''] = match;
    // Go needs a digit on at least one side of the dot: ".5s" and "5.s" parse, "." does not.
    if (!/[0-9]/.test(amount)) return undefined;
    total += Number(amount) * (UNIT_MS[unit] ?? Number.NaN);
  }
  return Number.isFinite(total) ? sign * total : undefined;
}

/**
 * Whether a duration can also be written into PromQL as a range (`[1m30s]`): whole numbers of
 * ms, s, m or h only, no sign and no fractions.
 */
export function isPromQLDuration(text: string): boolean {
  return /^([0-9]+(ms|s|m|h))+$/.test(text);
}
