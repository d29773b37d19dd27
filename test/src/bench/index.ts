import { fileURLToPath } from 'node:url';
import { captureBench } from './capture.js';
import { cliStartBench } from './cli-start.js';
import { codecBench } from './codec.js';
import { describeMachine } from './machine.js';
import { pipelineBench } from './pipeline.js';
import { pushBench } from './push.js';
import { stormBench } from './storm.js';
import { renderText, updateDoc } from './report.js';
import type { BenchResult } from './result.js';

const BENCHES: Record<string, () => Promise<BenchResult>> = {
  pipeline: pipelineBench,
  storm: stormBench,
  capture: captureBench,
  push: pushBench,
  start: cliStartBench,
  codec: codecBench,
};

const DOC = fileURLToPath(new URL('../../../docs/performance.md', import.meta.url));

async function main(argv: string[]): Promise<number> {
  const write = !argv.includes('--no-write');
  const names = argv.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !(n in BENCHES));
  if (unknown.length > 0) {
    console.error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}`);
    return 2;
  }
  const machine = describeMachine();
  const results: BenchResult[] = [];
  for (const name of names.length > 0 ? names : Object.keys(BENCHES)) {
    console.log(`running ${name} ...`);
    const result = await BENCHES[name]!();
    console.log(`${renderText(result)}\n`);
    results.push(result);
  }
  if (write) {
    await updateDoc(DOC, results, machine, new Date());
    console.log(`figures written to ${DOC}`);
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
