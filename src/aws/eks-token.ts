// Bearer tokens for EKS, as `aws eks get-token` / aws-iam-authenticator make them: a presigned STS
// GetCallerIdentity URL bound to the cluster by the signed `x-k8s-aws-id` header. No network call here.

import { formatUrl } from '@aws-sdk/core/util';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/transport';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

export interface TokenProvider {
  getToken(): Promise<string>;
}

// EKS accepts a token for 15 minutes after its X-Amz-Date; the presigned URL's own expiry is not what counts.
const TOKEN_VALIDITY_MS = 15 * 60_000;

export function createEksTokenProvider(opts: {
  clusterName: string;
  region: string;
  credentials?: AwsCredentialIdentityProvider;
  now?: () => number;
  /** How long before the 15-minute validity ends a new token is made (default 5 min, so tokens live 10 min). */
  refreshBeforeMs?: number;
}): TokenProvider {
  const now = opts.now ?? Date.now;
  const refreshBeforeMs = opts.refreshBeforeMs ?? 5 * 60_000;
  const hostname = `sts.${opts.region}.amazonaws.com`;
  const signer = new SignatureV4({
    service: 'sts',
    region: opts.region,
    credentials: opts.credentials ?? defaultProvider(),
    sha256: Sha256,
  });
  let cached: { token: string; refreshAt: number } | undefined;
  let inFlight: Promise<string> | undefined;

  async function mint(): Promise<string> {
    const signedAt = now();
    const request = new HttpRequest({
      method: 'GET',
      protocol: 'https:',
      hostname,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: hostname, 'x-k8s-aws-id': opts.clusterName },
    });
    const presigned = await signer.presign(request, { expiresIn: 60, signingDate: new Date(signedAt) });
    const token = `k8s-aws-v1.${Buffer.from(formatUrl(presigned)).toString('base64url')}`;
    cached = { token, refreshAt: signedAt + TOKEN_VALIDITY_MS - refreshBeforeMs };
    return token;
  }

  return {
    getToken() {
      if (cached && now() < cached.refreshAt) return Promise.resolve(cached.token);
      inFlight ??= mint().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
  };
}
