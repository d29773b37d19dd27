import { Observable, type ConfigurationOptions, type RequestContext, type ResponseContext } from '@kubernetes/client-node';

/**
 * Per-call options for client-node: the request is aborted after `ms` (--timeout) or when `signal`
 * fires, so an API server that accepts the connection and never answers cannot hold the command.
 */
export function apiDeadline(ms: number, signal?: AbortSignal): ConfigurationOptions {
  return {
    middleware: [
      {
        pre: (ctx: RequestContext) => {
          const timeout = AbortSignal.timeout(ms);
          ctx.setSignal(signal ? AbortSignal.any([timeout, signal]) : timeout);
          return new Observable(Promise.resolve(ctx));
        },
        post: (res: ResponseContext) => new Observable(Promise.resolve(res)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}
