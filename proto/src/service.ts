// The grpc-js definition of seccomp.agent.v1.Agent, built from the static codec; shared by client and server.
import type { ServiceDefinition } from '@grpc/grpc-js';
import * as codec from './codec.js';
import type { Codec } from './codec.js';

export const AGENT_SERVICE_NAME = 'seccomp.agent.v1.Agent';

/** Profile pushes carry whole profiles; gRPC's 4 MiB default is too small for a large set. */
export const MAX_RECEIVE_MESSAGE_BYTES = 16 * 1024 * 1024;

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
  responseStream = false,
): AgentMethod<Req, Res, ResD> {
  return {
    path: `/${AGENT_SERVICE_NAME}/${name}`,
    requestStream: false,
    responseStream,
    requestSerialize: req.serialize,
    requestDeserialize: req.deserialize,
    responseSerialize: res.serialize,
    responseDeserialize: res.deserialize,
    originalName: name.charAt(0).toLowerCase() + name.slice(1),
  };
}

export const agentService = {
  doctor: method('Doctor', codec.empty, codec.doctorResponse),
  listProfiles: method('ListProfiles', codec.empty, codec.listProfilesResponse),
  syncProfiles: method('SyncProfiles', codec.syncProfilesRequest, codec.syncProfilesResponse),
  watchViolations: method('WatchViolations', codec.watchViolationsRequest, codec.watchEvent, true),
  version: method('Version', codec.empty, codec.versionResponse),
} satisfies ServiceDefinition;
