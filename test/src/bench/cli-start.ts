import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { arch } from 'node:os';
import { fileURLToPath } from 'node:url';
import { CLI_BIN, runTimed } from './cli-process.js';
import { figure, fmt, fmtMs, type BenchResult, type Figure } from './result.js';
import { median } from './stats.js';

const ROUNDS = 10;
const TARGET_RATIO = 2.2;
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const LINT_FILE = `${ROOT}profiles/catalog/nodejs-web.json`;
/** The single-file executable `npm run package` builds, when it is there. */
const SEA_BIN = `${ROOT}build/kubectl-seccomp-linux-${arch() === 'x64' ? 'amd64' : arch()}/kubectl-seccomp`;

interface Variant {
  name: string;
  command: string;
  args: string[];
  target: boolean;
  env?: NodeJS.ProcessEnv;
}

/** The same start without V8's compile cache (cli/bin/run.js and the executable turn it on). */
const NO_CACHE: NodeJS.ProcessEnv = { NODE_DISABLE_COMPILE_CACHE: '1' };

/** What importing one dependency costs, to say where the start time goes. */
const IMPORTS = ['@oclif/core', '@kubernetes/client-node', '@grpc/grpc-js', 'ink', '@kubectl-seccomp/profiles', '@kubectl-seccomp/proto'];

const importOnly = (spec: string): Variant => ({
  name: `node importing ${spec} only`,
  command: process.execPath,
  args: ['--input-type=module', '-e', `await import(${JSON.stringify(spec)})`],
  target: false,
});

async function executable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

interface Timed {
  medians: Map<Variant, number>;
  /** Variants that did not run (exit status, first line of stderr): left out of the rounds. */
  failed: Map<Variant, string>;
}

/** Runs every variant once per round, interleaved, so a busy moment of the machine hits them all alike. */
async function timeRounds(variants: Variant[]): Promise<Timed> {
  const failed = new Map<Variant, string>();
  for (const v of variants) {
    const warm = await runTimed(v.command, v.args, undefined, v.env);
    if (warm.code !== 0)
      failed.set(
        v,
        `exit ${warm.code}: ${
          warm.stderr
            .trim()
            .split('\n')
            .find((l) => l.trim() !== '') ?? ''
        }`,
      );
  }
  const running = variants.filter((v) => !failed.has(v));
  const samples = new Map<Variant, number[]>(running.map((v) => [v, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const v of running) samples.get(v)!.push((await runTimed(v.command, v.args, undefined, v.env)).ms);
  }
  return { medians: new Map(running.map((v) => [v, median(samples.get(v)!)])), failed };
}

export async function cliStartBench(): Promise<BenchResult> {
  const baseline: Variant = { name: 'node -e 0 (baseline)', command: process.execPath, args: ['-e', '0'], target: false };
  const variants: Variant[] = [
    baseline,
    { name: 'kubectl-seccomp --version (oclif alone: no command imported)', command: process.execPath, args: [CLI_BIN, '--version'], target: false },
    { name: 'kubectl-seccomp --help', command: process.execPath, args: [CLI_BIN, '--help'], target: true },
    { name: 'kubectl-seccomp lint FILE', command: process.execPath, args: [CLI_BIN, 'lint', LINT_FILE], target: true },
    { name: 'kubectl-seccomp --help, no compile cache', command: process.execPath, args: [CLI_BIN, '--help'], target: false, env: NO_CACHE },
    { name: 'kubectl-seccomp lint FILE, no compile cache', command: process.execPath, args: [CLI_BIN, 'lint', LINT_FILE], target: false, env: NO_CACHE },
  ];
  const sea = await executable(SEA_BIN);
  if (sea) {
    variants.push(
      { name: 'single-file executable --help', command: SEA_BIN, args: ['--help'], target: true },
      { name: 'single-file executable lint FILE', command: SEA_BIN, args: ['lint', LINT_FILE], target: true },
      { name: 'single-file executable lint FILE, no compile cache', command: SEA_BIN, args: ['lint', LINT_FILE], target: false, env: NO_CACHE },
    );
  }
  variants.push(...IMPORTS.map(importOnly));
  const { medians, failed } = await timeRounds(variants);
  const base = medians.get(baseline);
  if (base === undefined) throw new Error(`node -e 0 did not run: ${failed.get(baseline)}`);
  const figures: Figure[] = variants.map((v) => {
    const ms = medians.get(v);
    if (ms === undefined) return figure(v.name, `did not run (${failed.get(v)})`, v.target ? { text: `< ${TARGET_RATIO}x node -e 0`, met: false } : undefined);
    const ratio = ms / base;
    const value = v === baseline ? fmtMs(ms) : `${fmtMs(ms)} = ${fmt(ratio, 1)}x`;
    return figure(v.name, value, v.target ? { text: `< ${TARGET_RATIO}x node -e 0`, met: ratio < TARGET_RATIO } : undefined);
  });
  const notes = [
    `How: each command spawned ${ROUNDS} times, interleaved round by round with \`node -e 0\` (the baseline), after one warm-up run each; median wall time from spawn to exit; ratio = median / baseline median. The CLI keeps V8's compiled code in a compile cache (\`module.enableCompileCache()\`, in the user's ~/.cache/kubectl-seccomp-UID/compile-cache), filled by the warm-up run; the "no compile cache" lines run the same with NODE_DISABLE_COMPILE_CACHE=1. \`lint\` reads profiles/catalog/nodejs-web.json. The npm tree is \`node cli/bin/run.js\`, which runs the esbuild bundle \`npm run build\` writes to cli/dist/bundle (oclif's entry, one file per command that oclif finds through its manifest, and chunks split at every dynamic import).${sea ? ` The single-file executable is ${SEA_BIN.slice(ROOT.length)} from \`npm run package\` (the same bundle, unpacked once per build; measured after its first start).` : ' No single-file executable was found in build/ (`npm run package` builds it): not measured.'}`,
    "`--version` is oclif's own start in the bundle (its modules, its config and manifest load) with no command imported: the floor every command starts from, since no dependency's text is edited.",
    'The "importing X only" lines time `node -e "await import(X)"`: what loading that dependency alone costs, to show where the start time goes.',
  ];
  return { name: 'start', title: 'CLI start', figures, notes };
}
