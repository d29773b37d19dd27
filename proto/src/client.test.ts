import { expect } from 'chai';
import { grpcTarget } from './client.js';

describe('grpcTarget', () => {
  it('gives IP literals the ipv4:/ipv6: scheme (no DNS resolver per connection) and leaves names to DNS', () => {
    expect(grpcTarget('127.0.0.1:50051')).to.equal('ipv4:127.0.0.1:50051');
    expect(grpcTarget('[::1]:50051')).to.equal('ipv6:[::1]:50051');
    expect(grpcTarget('agent.local:50051')).to.equal('agent.local:50051');
    expect(grpcTarget('10.0.0.300:1')).to.equal('10.0.0.300:1');
    expect(grpcTarget('[not-an-ip]:1')).to.equal('[not-an-ip]:1');
  });
});
