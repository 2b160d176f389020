/** The few statistics the bench quotes, rounded to 0.1 ms. */
const tenth = (value: number) => Math.round(value * 10) / 10;

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = values.toSorted((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return tenth(sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2);
}

/** The nearest-rank percentile: the smallest sample that `percent` % of the samples do not exceed. */
export function percentile(values: number[], percent: number): number | null {
  if (values.length === 0) return null;
  const sorted = values.toSorted((a, b) => a - b);
  return tenth(sorted[Math.max(0, Math.ceil((percent / 100) * sorted.length) - 1)]!);
}

export const ratio = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a == null || b == null || b === 0 ? null : Math.round((a / b) * 100) / 100;
