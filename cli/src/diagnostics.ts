/** --verbose: diagnostics on stderr; silent otherwise so stdout stays the report. */
export function diagnostics(verbose: boolean): (message: string) => void {
  return verbose ? (message) => process.stderr.write(`kubectl-seccomp: ${message}\n`) : () => {};
}
