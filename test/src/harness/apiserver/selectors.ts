/** Kubernetes label and field selectors, as the API server evaluates them (the subset clients send). */

type Requirement = { key: string; op: 'in' | 'notin'; values: string[] } | { key: string; op: 'exists' | '!exists' };

export type Labels = Record<string, string> | undefined;

export function parseLabelSelector(text: string | null | undefined): Requirement[] {
  if (!text) return [];
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((raw) => parseRequirement(raw.trim()));
}

function parseRequirement(raw: string): Requirement {
  let m = /^([^\s!=]+)\s*(==|=|!=)\s*(\S*)$/.exec(raw);
  if (m) return { key: m[1]!, op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]!] };
  m = /^([^\s]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(raw);
  if (m) return { key: m[1]!, op: m[2] as 'in' | 'notin', values: m[3]!.split(',').map((v) => v.trim()) };
  m = /^!\s*(\S+)$/.exec(raw);
  if (m) return { key: m[1]!, op: '!exists' };
  if (/^\S+$/.test(raw)) return { key: raw, op: 'exists' };
  throw new Error(`unable to parse requirement: "${raw}"`);
}

export function matchesLabels(reqs: Requirement[], labels: Labels): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.hasOwn(l, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case '!exists':
        return !has;
      case 'in':
        return has && r.values.includes(l[r.key]!);
      case 'notin':
        return !has || !r.values.includes(l[r.key]!);
    }
  });
}

/** Field selectors: `a=b`, `a==b`, `a!=b`, comma-joined; paths like spec.nodeName. */
export function matchesFields(text: string | null | undefined, obj: unknown): boolean {
  if (!text) return true;
  return text.split(',').every((part) => {
    const m = /^([^!=]+)(==|=|!=)(.*)$/.exec(part.trim());
    if (!m) throw new Error(`invalid field selector: "${part}"`);
    const value = String(m[1]!.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj) ?? '');
    return m[2] === '!=' ? value !== m[3] : value === m[3];
  });
}
