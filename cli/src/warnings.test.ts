import { once } from 'node:events';
import { expect } from 'chai';
import { quietTlsIpServerNameWarning } from './warnings.js';

describe('warnings', () => {
  it("drops only Node's DEP0123 (TLS server name set to an IP address)", async () => {
    quietTlsIpServerNameWarning();
    const seen: string[] = [];
    const onWarning = (w: Error & { code?: string }): void => void seen.push(w.code ?? w.message);
    process.on('warning', onWarning);
    try {
      process.emitWarning('Setting the TLS ServerName to an IP address is not permitted by RFC 6066.', 'DeprecationWarning', 'DEP0123');
      process.emitWarning('the same, with options', { type: 'DeprecationWarning', code: 'DEP0123' });
      process.emitWarning('another deprecation', 'DeprecationWarning', 'DEP9999');
      await once(process, 'warning');
      expect(seen).to.deep.equal(['DEP9999']);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
