import { expect } from 'chai';
import { ConfigError, parseAgentArgs } from './config.js';

describe('agent flags', () => {
  it('--resync is in seconds and defaults to five minutes', () => {
    const defaults = parseAgentArgs([], {});
    const given = parseAgentArgs(['--resync', '2'], {});
    expect(defaults !== 'help' && defaults.resyncMs).to.equal(300_000);
    expect(given !== 'help' && given.resyncMs).to.equal(2000);
  });

  it('refuses a --resync that is not a number of seconds', () => {
    for (const bad of ['0', '-1', '5m', '']) {
      expect(() => parseAgentArgs(['--resync', bad], {}), bad).to.throw(ConfigError, /--resync/);
    }
  });

  it("--journal-dir names the journal to read instead of the host's", () => {
    const given = parseAgentArgs(['--journal-dir', '/run/test-journal'], {});
    const defaults = parseAgentArgs([], {});
    expect(given !== 'help' && given.journalDir).to.equal('/run/test-journal');
    expect(defaults !== 'help' && defaults.journalDir).to.equal(undefined);
  });

  it('--state-dir turns on resuming across restarts; without it the agent starts from now', () => {
    const given = parseAgentArgs(['--state-dir', '/var/lib/kubectl-seccomp'], {});
    const defaults = parseAgentArgs([], {});
    expect(given !== 'help' && given.stateDir).to.equal('/var/lib/kubectl-seccomp');
    expect(defaults !== 'help' && defaults.stateDir).to.equal(undefined);
  });
});
