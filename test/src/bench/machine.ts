import { readFileSync } from 'node:fs';
import { availableParallelism, release, totalmem } from 'node:os';
import { fmtBytes } from './result.js';

/** The machine figures were measured on: they mean little without it. */
export interface Machine {
  cpus: number;
  cpuModel: string;
  memory: string;
  kernel: string;
  node: string;
}

export function describeMachine(): Machine {
  return {
    cpus: availableParallelism(),
    cpuModel: cpuModel(),
    memory: fmtBytes(totalmem()),
    kernel: release(),
    node: process.version,
  };
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => /^model name\s*:/.test(l));
    return line?.split(':').slice(1).join(':').trim() || 'unknown';
  } catch {
    return 'unknown';
  }
}

export function machineLine(m: Machine): string {
  return `${m.cpus} CPU (\`nproc\`), ${m.cpuModel}, ${m.memory} RAM, Linux ${m.kernel}, Node ${m.node}`;
}
