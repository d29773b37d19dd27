import { readFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import { parseAgentsList, type AgentSpec } from './agent-spec.js';

/** The agents listed in FILE, or on stdin for "-" (see parseAgentsList for the format). */
export async function readAgentsFile(path: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<AgentSpec[]> {
  const source = path === '-' ? 'stdin' : path;
  let content: string;
  try {
    content = path === '-' ? await text(stdin) : await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`--agents-file ${source}: ${(err as Error).message}`, { cause: err });
  }
  const specs = parseAgentsList(content, source);
  if (specs.length === 0) throw new Error(`--agents-file ${source}: lists no agent`);
  return specs;
}
