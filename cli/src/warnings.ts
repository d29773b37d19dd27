/**
 * Node's DEP0123 ("Setting the TLS ServerName to an IP address is not permitted by RFC 6066"),
 * printed when `--agent NODE=10.0.0.5:50051` is dialled with TLS: grpc-js names the server by the
 * address dialled. The certificate is still checked against that IP address, as the user asked, and
 * the user has nothing to change, so the CLI does not print it. Every other warning is untouched.
 */
export function quietTlsIpServerNameWarning(): void {
  if (installed) return;
  installed = true;
  const emitWarning = process.emitWarning.bind(process);
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (isDep0123(rest)) return;
    (emitWarning as (w: string | Error, ...r: unknown[]) => void)(warning, ...rest);
  }) as typeof process.emitWarning;
}

let installed = false;

function isDep0123(rest: unknown[]): boolean {
  const [typeOrOptions, code] = rest;
  if (typeof typeOrOptions === 'object' && typeOrOptions !== null) return (typeOrOptions as { code?: unknown }).code === 'DEP0123';
  return code === 'DEP0123';
}
