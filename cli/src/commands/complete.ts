import { BaseCommand } from '../command.js';
import { complete, formatCompletion, type CompletableCommand } from '../services/completion/candidates.js';

/** `complete -- WORDS...`: what the completion scripts and kubectl_complete-seccomp ask. */
export default class Complete extends BaseCommand {
  static override hidden = true;
  static override summary = 'Completion candidates for the words given (Cobra protocol).';
  static override strict = false;

  public async run(): Promise<void> {
    const words = this.argv[0] === '--' ? this.argv.slice(1) : this.argv;
    process.stdout.write(formatCompletion(complete(this.config.commands as CompletableCommand[], words.length > 0 ? words : [''])));
  }
}
