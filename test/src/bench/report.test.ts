import { expect } from 'chai';
import { renderSection, replaceSection } from './report.js';
import type { Machine } from './machine.js';

const machine: Machine = { cpus: 2, cpuModel: 'Test CPU', memory: '1.0 GiB', kernel: '6.1.0', node: 'v20.19.0' };

describe('performance doc sections', () => {
  it('replaces only the section of the benchmark that ran, keeping the hand-written text', () => {
    let doc = '# Performance\n\nhand-written\n';
    doc = replaceSection(doc, 'pipeline', 'pipeline v1');
    doc = replaceSection(doc, 'push', 'push v1');
    doc = replaceSection(doc, 'pipeline', 'pipeline v2');
    expect(doc).to.include('hand-written');
    expect(doc).to.include('pipeline v2').and.not.include('pipeline v1');
    expect(doc).to.include('push v1');
    expect(doc.indexOf('pipeline v2')).to.be.lessThan(doc.indexOf('push v1'));
  });

  it('says a skipped benchmark was skipped and why, with no table', () => {
    const text = renderSection({ name: 'storm', title: 'Storm', figures: [], notes: [], skipped: 'needs root' }, machine, new Date(0));
    expect(text).to.include('Skipped: needs root').and.not.include('| figure |');
    expect(text).to.include('2 CPU').and.include('Test CPU').and.include('Node v20.19.0');
  });

  it('marks a missed target so it stands out', () => {
    const text = renderSection(
      { name: 'x', title: 'X', figures: [{ name: 'rate', value: '5/s', target: '>= 10/s', verdict: 'miss' }], notes: [] },
      machine,
      new Date(0),
    );
    expect(text).to.include('| rate | 5/s | >= 10/s | **MISS** |');
  });
});
