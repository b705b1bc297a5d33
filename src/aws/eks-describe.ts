// eks:DescribeCluster for clusters configured without endpoint/CA. A single signed GET, so the worker bundle
// does not carry a whole EKS client for one call.
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/transport';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

export interface EksDescription {
  endpoint: string;
  /** Base64 PEM, exactly `certificateAuthority.data`. */
  caData: string;
}

export class EksDescribeError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(clusterName: string, status: number, code: string, message: string) {
    super(`eks:DescribeCluster ${clusterName}: ${code} (${status}): ${message}`);
    this.name = 'EksDescribeError';
    this.code = code;
    this.status = status;
  }
}

export function createEksDescriber(
  opts: {
    credentials?: AwsCredentialIdentityProvider;
    /** Base URL per region; default `https://eks.<region>.amazonaws.com` (tests use 127.0.0.1). */
    endpointFor?: (region: string) => string;
    timeoutMs?: number;
  } = {},
): (auth: { clusterName: string; region: string }) => Promise<EksDescription> {
  const credentials = opts.credentials ?? defaultProvider();
  const endpointFor =
    opts.endpointFor ?? ((region: string) => process.env.AWS_ENDPOINT_URL_EKS ?? `https://eks.${region}.amazonaws.com`);

  return async ({ clusterName, region }) => {
    const base = new URL(endpointFor(region));
    const signer = new SignatureV4({ service: 'eks', region, credentials, sha256: Sha256 });
    const request = new HttpRequest({
      method: 'GET',
      protocol: base.protocol,
      hostname: base.hostname,
      port: base.port ? Number(base.port) : undefined,
      path: `/clusters/${encodeURIComponent(clusterName)}`,
      headers: { host: base.host, accept: 'application/json' },
    });
    const signed = await signer.sign(request);
    const { host: _host, ...headers } = signed.headers; // fetch sets Host from the URL itself
    const res = await fetch(new URL(signed.path, base), {
      headers,
      signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
    });
    const body = (await res.json().catch(() => ({}))) as {
      message?: string;
      cluster?: { endpoint?: string; certificateAuthority?: { data?: string } };
    };
    if (!res.ok) {
      const code = res.headers.get('x-amzn-errortype')?.split(':')[0] ?? 'Error';
      throw new EksDescribeError(clusterName, res.status, code, body.message ?? res.statusText);
    }
    const endpoint = body.cluster?.endpoint;
    const caData = body.cluster?.certificateAuthority?.data;
    if (!endpoint || !caData) {
      throw new EksDescribeError(
        clusterName,
        res.status,
        'IncompleteCluster',
        'no endpoint or CA yet (still creating?)',
      );
    }
    return { endpoint, caData };
  };
}
