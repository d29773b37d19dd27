// mocha's spec reporter, plus the plain closing line CI reads: "N passed, N failed, N skipped".
// The line is also left in coverage/test-totals.txt, so scripts/test.sh can print it last (after c8).
const fs = require('node:fs');
const Mocha = require('mocha');

const { Spec } = Mocha.reporters;
const { EVENT_RUN_END } = Mocha.Runner.constants;

class SpecWithTotals extends Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const s = runner.stats ?? { passes: 0, failures: 0, pending: 0 };
      const line = `${s.passes} passed, ${s.failures} failed, ${s.pending} skipped`;
      process.stdout.write(`\n${line}\n`);
      fs.mkdirSync('coverage', { recursive: true });
      fs.writeFileSync('coverage/test-totals.txt', `${line}\n`);
    });
  }
}

module.exports = SpecWithTotals;
