// The grpc-js definition of seccomp.agent.v1.Agent, built from the static codec; shared by client and server.
import type { ServiceDefinition } from '@grpc/grpc-js';
import * as codec from './codec.js';
import type { Codec } from './codec.js';

export const AGENT_SERVICE_NAME = 'seccomp.agent.v1.Agent';

/** Profile pushes carry whole profiles; gRPC's 4 MiB default is too small for a large set. */
export const MAX_RECEIVE_MESSAGE_BYTES = 16 * 1024 * 1024;

/**
 * What the agent accepts per request, by method: a sync carries the store's 1.5 MiB of profiles plus
 * paths (grpc-js holds a request whole, twice while it joins the frames, so concurrent syncs of this
 * size must fit the pod: docs/performance.md); a watch a filter (256 values of 253 characters per
 * field at most); the others nothing.
 */
export const MAX_REQUEST_BYTES = { sync: 2 * 1024 * 1024, watch: 512 * 1024, empty: 1024 } as const;

/** What a server's deserializer hands over instead of a request larger than its method allows. */
export class OversizedRequest {
  constructor(
    readonly bytes: number,
    readonly limit: number,
  ) {}
}

/** A grpc-js method definition whose client side may decode to a wider type than the server encodes. */
export interface AgentMethod<Req, Res, ResD = Res> {
  path: string;
  requestStream: false;
  responseStream: boolean;
  requestSerialize: (value: Req) => Buffer;
  requestDeserialize: (bytes: Buffer) => Req;
  responseSerialize: (value: Res) => Buffer;
  responseDeserialize: (bytes: Buffer) => ResD;
  originalName: string;
}

function method<Req, Res, ResD>(
  name: string,
  req: Codec<Req>,
  res: Codec<Res, ResD>,
  maxRequestBytes: number,
  responseStream = false,
): AgentMethod<Req, Res, ResD> {
  return {
    path: `/${AGENT_SERVICE_NAME}/${name}`,
    requestStream: false,
    responseStream,
    requestSerialize: req.serialize,
    // Not thrown: grpc-js answers a throwing deserializer with INTERNAL; the handler answers this one.
    requestDeserialize: (bytes) => (bytes.length > maxRequestBytes ? (new OversizedRequest(bytes.length, maxRequestBytes) as Req) : req.deserialize(bytes)),
    responseSerialize: res.serialize,
    responseDeserialize: res.deserialize,
    originalName: name.charAt(0).toLowerCase() + name.slice(1),
  };
}

export const agentService = {
  doctor: method('Doctor', codec.empty, codec.doctorResponse, MAX_REQUEST_BYTES.empty),
  listProfiles: method('ListProfiles', codec.empty, codec.listProfilesResponse, MAX_REQUEST_BYTES.empty),
  syncProfiles: method('SyncProfiles', codec.syncProfilesRequest, codec.syncProfilesResponse, MAX_REQUEST_BYTES.sync),
  watchViolations: method('WatchViolations', codec.watchViolationsRequest, codec.watchEvent, MAX_REQUEST_BYTES.watch, true),
  version: method('Version', codec.empty, codec.versionResponse, MAX_REQUEST_BYTES.empty),
} satisfies ServiceDefinition;
