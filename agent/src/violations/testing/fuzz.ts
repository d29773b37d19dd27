/**
 * How many cases each property of the fuzzers tries: a bounded number in `npm test`, more under
 * `npm run fuzz` (FUZZ_RUNS).
 */
export function fuzzRuns(bounded: number): number {
  const runs = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(runs) && runs > 0 ? runs : bounded;
}
