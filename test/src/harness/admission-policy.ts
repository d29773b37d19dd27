// A ValidatingAdmissionPolicy's CEL evaluated as the API server would for one UPDATE request:
// match conditions, then every validation. The evaluator is @marcbachmann/cel-js, not the API
// server's cel-go: objects are plain JSON maps here (the API server types them by their schema).
import { Environment } from '@marcbachmann/cel-js';

export interface AdmissionPolicySpec {
  matchConditions?: { name: string; expression: string }[];
  validations: { expression: string; message?: string; reason?: string }[];
}

export interface AdmissionRequest {
  userInfo: { username: string; extra?: Record<string, string[]> };
}

export type Verdict = { verdict: 'not-matched' } | { verdict: 'allowed' } | { verdict: 'denied'; message: string };

interface CelOptional {
  hasValue(): boolean;
  value(): unknown;
}

function environment(): Environment {
  const env = new Environment({ unlistedVariablesAreDyn: true, enableOptionalTypes: true });
  // cel-go defines equality of optionals (types.Optional.Equal: both empty, or both set to equal
  // values); cel-js has no such overload, so it is added with cel-go's meaning.
  env.registerOperator('optional<dyn> == optional<dyn>', (a: CelOptional, b: CelOptional) =>
    !a.hasValue() || !b.hasValue() ? a.hasValue() === b.hasValue() : env.evaluate('a == b', { a: a.value(), b: b.value() }) === true,
  );
  return env;
}

/** The verdict for `request` changing `oldObject` into `object`. */
export function admit(policy: AdmissionPolicySpec, request: AdmissionRequest, oldObject: unknown, object: unknown): Verdict {
  const env = environment();
  const vars = { request: { ...request, userInfo: { extra: {}, ...request.userInfo } }, oldObject, object };
  const holds = (expression: string): boolean => env.evaluate(expression, vars) === true;
  if (!(policy.matchConditions ?? []).every((c) => holds(c.expression))) return { verdict: 'not-matched' };
  const failed = policy.validations.find((v) => !holds(v.expression));
  return failed ? { verdict: 'denied', message: failed.message ?? failed.expression } : { verdict: 'allowed' };
}
