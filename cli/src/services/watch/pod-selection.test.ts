import { expect } from 'chai';
import { makeViolation } from '../../testing/fake-agent.js';
import { PodSelection, selectPods, type PodLister, type PodRef } from './pod-selection.js';
import type { WatchUpdate } from './types.js';

/** An API server stand-in: `pods` are what the selector matches now; every question is recorded. */
class FakeLister implements PodLister {
  pods: PodRef[] = [];
  calls: string[] = [];
  /** When set, answers wait for this promise (to show that order is kept). */
  gate?: Promise<void>;
  async list(selector: string, namespaces: readonly string[], only?: { namespace: string; name: string }): Promise<PodRef[]> {
    this.calls.push(only ? `get ${only.namespace}/${only.name}` : `list ${selector} in ${namespaces.join(',') || 'all'}`);
    if (this.gate) await this.gate;
    return this.pods.filter((p) => !only || (p.namespace === only.namespace && p.name === only.name));
  }
}

const pod = (namespace: string, name: string, uid = `uid-${name}`): PodRef => ({ namespace, name, uid });
const v = (over: Parameters<typeof makeViolation>[0]): WatchUpdate => ({ kind: 'violation', node: 'n1', violation: makeViolation(over) });
const labelOf = (u: WatchUpdate) =>
  u.kind === 'violation' ? `${u.violation.namespace}/${u.violation.pod || u.violation.podUid}:${u.violation.syscall}` : u.kind;
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('watch -l: pods by label', () => {
  let api: FakeLister;
  let selection: PodSelection;
  let out: WatchUpdate[];
  let sink: (u: WatchUpdate) => void;

  beforeEach(async () => {
    api = new FakeLister();
    api.pods = [pod('shop', 'cart-1')];
    selection = new PodSelection(api, 'app=cart', ['shop']);
    await selection.refresh();
    out = [];
    sink = selectPods(selection, (u) => out.push(u));
  });

  it('passes the violations of selected pods and drops the others', async () => {
    sink(v({ namespace: 'shop', pod: 'cart-1', syscall: 'mkdir' }));
    sink(v({ namespace: 'shop', pod: 'web-1', syscall: 'chmod' }));
    sink(v({ namespace: 'shop', pod: 'web-1', syscall: 'chown' }));
    await settled();
    expect(out.map(labelOf)).to.deep.equal(['shop/cart-1:mkdir']);
    expect(api.calls).to.deep.equal(['list app=cart in shop', 'get shop/web-1']);
  });

  it('a pod that started after the list is asked about, and its violations shown in their order', async () => {
    let open!: () => void;
    api.gate = new Promise((resolve) => (open = resolve));
    api.pods.push(pod('shop', 'cart-2'));
    sink(v({ namespace: 'shop', pod: 'cart-2', syscall: 'unshare' }));
    sink(v({ namespace: 'shop', pod: 'cart-1', syscall: 'mkdir' }));
    sink({ kind: 'state', node: 'n1', state: { phase: 'streaming' } });
    await settled();
    // The API has not answered: nothing may overtake the violation that waits for it.
    expect(out).to.deep.equal([]);
    open();
    await settled();
    expect(out.map(labelOf)).to.deep.equal(['shop/cart-2:unshare', 'shop/cart-1:mkdir', 'state']);
  });

  it('a re-list picks up label changes', async () => {
    api.pods = [pod('shop', 'web-1')];
    await selection.refresh();
    sink(v({ namespace: 'shop', pod: 'cart-1', syscall: 'mkdir' }));
    sink(v({ namespace: 'shop', pod: 'web-1', syscall: 'chmod' }));
    await settled();
    expect(out.map(labelOf)).to.deep.equal(['shop/web-1:chmod']);
  });

  it('without pod names: by pod UID (a new UID lists again, once); with neither, unplaced', async () => {
    const none = { namespace: '', pod: '', container: '' };
    sink(v({ ...none, podUid: 'uid-cart-1', syscall: 'mkdir' }));
    sink(v({ ...none, podUid: 'uid-other', syscall: 'chmod' }));
    sink(v({ ...none, podUid: 'uid-other', syscall: 'chown' }));
    sink(v({ ...none, podUid: '', containerId: '', syscall: 'kill' }));
    await settled();
    expect(out.map(labelOf)).to.deep.equal(['/uid-cart-1:mkdir', 'unplaced']);
    expect(api.calls).to.deep.equal(['list app=cart in shop', 'list app=cart in shop']);
  });

  it('an API error counts the violation as not selected and the watch goes on', async () => {
    api.list = () => Promise.reject(new Error('forbidden'));
    sink(v({ namespace: 'shop', pod: 'web-1', syscall: 'chmod' }));
    sink(v({ namespace: 'shop', pod: 'cart-1', syscall: 'mkdir' }));
    await settled();
    expect(out.map(labelOf)).to.deep.equal(['shop/cart-1:mkdir']);
  });
});
