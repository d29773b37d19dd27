export async function main(_argv: string[]): Promise<number> {
  process.stderr.write('seccomp-agent: not implemented yet\n');
  return 1;
}
