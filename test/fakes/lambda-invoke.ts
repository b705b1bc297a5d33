// The Lambda Invoke endpoint for tests: the same loopback server `netcheck dev` uses (src/dev/local-lambda.ts).
import {
  type LocalFunction,
  type LocalLambda,
  type LocalLambdaOptions,
  startLocalLambda,
} from '../../src/dev/local-lambda.ts';

export type { Invocation, LocalFunction, LocalLambda } from '../../src/dev/local-lambda.ts';

export function startLambdaInvokeEndpoint(
  functions: Record<string, LocalFunction>,
  options: LocalLambdaOptions = {},
): Promise<LocalLambda> {
  return startLocalLambda(functions, options);
}
