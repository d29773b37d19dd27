/** Resolves with "aborted" once the signal aborts; used to race calls that may not honour it. */
function whenAborted(signal: AbortSignal): { promise: Promise<'aborted'>; dispose(): void } {
  let onAbort = (): void => {};
  const promise = new Promise<'aborted'>((resolve) => {
    onAbort = () => resolve('aborted');
    if (signal.aborted) resolve('aborted');
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}

const ABORTED = Symbol('aborted');

/** it.next(), or ABORTED once the signal aborts; one listener per call, removed when settled. */
function nextUnlessAborted<T>(it: AsyncIterator<T>, signal: AbortSignal): Promise<IteratorResult<T> | typeof ABORTED> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return resolve(ABORTED);
    const onAbort = (): void => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    it.next().then(
      (r) => {
        signal.removeEventListener('abort', onAbort);
        resolve(r);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

/**
 * Iterates source until it ends or the signal aborts, whichever comes first. A transport still
 * waiting for a connection (or for a dead peer) must not hold the watch open after the user quit;
 * the abandoned iterator is told to return in the background.
 */
export async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      const r = await nextUnlessAborted(it, signal);
      if (r === ABORTED) return;
      if (r.done) {
        finished = true;
        return;
      }
      yield r.value;
    }
  } catch (err) {
    finished = true;
    throw err;
  } finally {
    if (!finished) void Promise.resolve(it.return?.()).catch(() => undefined);
  }
}

/**
 * Awaits open unless the signal aborts first; a handle that arrives after the abort is released
 * with release. Resolves undefined when aborted.
 */
export async function openUnlessAborted<H>(open: Promise<H>, signal: AbortSignal, release: (h: H) => Promise<void>): Promise<H | undefined> {
  const aborted = whenAborted(signal);
  try {
    const r = await Promise.race([open, aborted.promise]);
    if (r !== 'aborted') return r;
    void open.then(release, () => undefined);
    return undefined;
  } finally {
    aborted.dispose();
  }
}
