export type OutputFormat = 'table' | 'json' | 'yaml';

/** The machine-readable forms of a report; tables are each command's own renderer. */
export async function formatData(data: unknown, format: 'json' | 'yaml'): Promise<string> {
  if (format === 'json') return JSON.stringify(data, null, 2);
  // yaml is CommonJS: its module.exports is the default export both from node_modules and from the
  // CLI's bundle, where a dynamic import of CommonJS has no named exports.
  const { default: yaml } = await import('yaml');
  return yaml.stringify(data).trimEnd();
}
