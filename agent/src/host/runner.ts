import { execFile } from 'node:child_process';

/**
 * Runs a program and resolves with its stdout. Injected so that host binaries are executed only
 * in local mode (host root "/"), and so that tests can answer for them.
 */
export type CommandRunner = (file: string, args: readonly string[]) => Promise<string>;

const TIMEOUT_MS = 5000;

export const execRunner: CommandRunner = (file, args) =>
  new Promise((resolve, reject) => {
    execFile(file, [...args], { timeout: TIMEOUT_MS, maxBuffer: 64 * 1024 }, (err, stdout) => {
      if (err) reject(err);
      else resolve(stdout);
    });
  });
