export type OutputFormat = 'table' | 'json' | 'yaml';

/** The machine-readable forms of a report; tables are each command's own renderer. */
export async function formatData(data: unknown, format: 'json' | 'yaml'): Promise<string> {
  if (format === 'json') return JSON.stringify(data, null, 2);
  const { stringify } = await import('yaml');
  return stringify(data).trimEnd();
}
