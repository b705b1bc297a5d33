import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createEksTokenProvider } from './eks-token.ts';

const credentials = async () => ({
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
});
const T0 = Date.UTC(2026, 10, 27, 7, 0, 0);

function decode(token: string): URL {
  expect(token.startsWith('k8s-aws-v1.')).toBe(true);
  const encoded = token.slice('k8s-aws-v1.'.length);
  expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/); // base64url without padding
  return new URL(Buffer.from(encoded, 'base64url').toString('utf8'));
}

/** SigV4 recomputed independently (node:crypto), as STS will when EKS forwards the URL. */
function expectedSignature(url: URL, clusterName: string, secretAccessKey: string): string {
  const q = new URLSearchParams(url.searchParams);
  q.delete('X-Amz-Signature');
  const enc = (s: string) =>
    encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const canonicalQuery = [...q.entries()]
    .map(([k, v]) => [enc(k), enc(v)])
    .sort(([a], [b]) => (a! < b! ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalRequest = [
    'GET',
    '/',
    canonicalQuery,
    `host:${url.host}\nx-k8s-aws-id:${clusterName}\n`,
    'host;x-k8s-aws-id',
    createHash('sha256').update('').digest('hex'),
  ].join('\n');
  const date = q.get('X-Amz-Date')!;
  const scope = q.get('X-Amz-Credential')!.split('/').slice(1).join('/');
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    date,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  const [day, region, service] = scope.split('/');
  let key: Buffer = createHmac('sha256', `AWS4${secretAccessKey}`).update(day!).digest();
  for (const part of [region!, service!, 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

describe('createEksTokenProvider', () => {
  it('presigns STS GetCallerIdentity for the cluster, like aws-iam-authenticator', async () => {
    const provider = createEksTokenProvider({
      clusterName: 'prod-eks',
      region: 'eu-west-1',
      credentials,
      now: () => T0,
    });
    const url = decode(await provider.getToken());
    expect(url.protocol).toBe('https:');
    expect(url.host).toBe('sts.eu-west-1.amazonaws.com');
    expect(url.pathname).toBe('/');
    const q = url.searchParams;
    expect(q.get('Action')).toBe('GetCallerIdentity');
    expect(q.get('Version')).toBe('2011-06-15');
    expect(q.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(q.get('X-Amz-Expires')).toBe('60');
    expect(q.get('X-Amz-Date')).toBe('20261127T070000Z');
    expect(q.get('X-Amz-Credential')).toBe('AKIDEXAMPLE/20261127/eu-west-1/sts/aws4_request');
    expect(q.get('X-Amz-SignedHeaders')?.split(';')).toEqual(['host', 'x-k8s-aws-id']);
    expect(q.get('X-Amz-Signature')).toBe(
      expectedSignature(url, 'prod-eks', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'),
    );
    // The cluster id is a signed header, not a query parameter: the token is useless for another cluster.
    expect(q.has('x-k8s-aws-id')).toBe(false);
  });

  it('signs deterministically for fixed credentials and clock, and differently per cluster', async () => {
    const token = (clusterName: string) =>
      createEksTokenProvider({ clusterName, region: 'eu-west-1', credentials, now: () => T0 }).getToken();
    const [a, b, c] = await Promise.all([token('prod-eks'), token('prod-eks'), token('staging-eks')]);
    expect(a).toBe(b);
    expect(decode(a).searchParams.get('X-Amz-Signature')).not.toBe(decode(c).searchParams.get('X-Amz-Signature'));
  });

  it('carries the session token of temporary credentials (the Lambda role)', async () => {
    const provider = createEksTokenProvider({
      clusterName: 'prod-eks',
      region: 'us-east-1',
      credentials: async () => ({ ...(await credentials()), sessionToken: 'FwoGZXIvYXdzEXAMPLE' }),
      now: () => T0,
    });
    expect(decode(await provider.getToken()).searchParams.get('X-Amz-Security-Token')).toBe('FwoGZXIvYXdzEXAMPLE');
  });

  it('reuses a token for 10 minutes and mints a new one before the 15-minute validity ends', async () => {
    let clock = T0;
    let credentialCalls = 0;
    const provider = createEksTokenProvider({
      clusterName: 'prod-eks',
      region: 'eu-west-1',
      credentials: async () => {
        credentialCalls++;
        return credentials();
      },
      now: () => clock,
    });
    const first = await provider.getToken();
    clock += 10 * 60_000 - 1;
    expect(await provider.getToken()).toBe(first);
    clock += 1;
    const second = await provider.getToken();
    expect(second).not.toBe(first);
    expect(decode(second).searchParams.get('X-Amz-Date')).toBe('20261127T071000Z');
    expect(credentialCalls).toBe(2);
  });

  it('mints once for concurrent callers', async () => {
    let credentialCalls = 0;
    const provider = createEksTokenProvider({
      clusterName: 'prod-eks',
      region: 'eu-west-1',
      credentials: async () => {
        credentialCalls++;
        return credentials();
      },
      now: () => T0,
    });
    const tokens = await Promise.all([provider.getToken(), provider.getToken(), provider.getToken()]);
    expect(new Set(tokens).size).toBe(1);
    expect(credentialCalls).toBe(1);
  });
});
