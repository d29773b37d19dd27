import { ConfigError, parseAgentArgs, USAGE } from './config.js';
import { createLogger } from './log.js';
import { runAgent } from './run.js';
import { agentVersion, versionLine } from './version.js';

/** The seccomp-agent process: flags -> running agent, until SIGTERM/SIGINT. Returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  // Alone, as with `node --version`: nothing else is parsed or started.
  if (argv.length === 1 && argv[0] === '--version') {
    process.stdout.write(`${versionLine(agentVersion(''))}\n`);
    return 0;
  }
  let config;
  try {
    config = parseAgentArgs(argv);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`seccomp-agent: ${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (config === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const log = createLogger(config.logLevel, { node: config.nodeName });
  // Listened for before starting: a signal during start (the agent already says "listening" then)
  // still stops it cleanly once it has started.
  const stopSignal = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  let agent;
  try {
    agent = await runAgent(config, log);
  } catch (err) {
    log.error({ err: (err as Error).message }, 'cannot start');
    return 1;
  }
  const signal = await stopSignal;
  log.info({ signal }, 'stopping');
  await agent.stop();
  log.info('stopped');
  return 0;
}
