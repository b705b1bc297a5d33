import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEksDescriber } from './eks-describe.ts';

const requests: { path: string; authorization: string }[] = [];
const server = createServer((req, res) => {
  requests.push({ path: req.url ?? '', authorization: String(req.headers.authorization ?? '') });
  if (req.url === '/clusters/prod-eks') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        cluster: {
          name: 'prod-eks',
          endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
          certificateAuthority: { data: 'Q0E=' },
        },
      }),
    );
    return;
  }
  res.writeHead(404, {
    'content-type': 'application/json',
    'x-amzn-errortype': 'ResourceNotFoundException:http://internal',
  });
  res.end(JSON.stringify({ message: 'No cluster found for name: nope.' }));
});
let base = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const describer = () =>
  createEksDescriber({
    credentials: async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }),
    endpointFor: () => base,
  });

describe('createEksDescriber', () => {
  it('reads endpoint and CA with a SigV4-signed DescribeCluster call', async () => {
    await expect(describer()({ clusterName: 'prod-eks', region: 'eu-west-1' })).resolves.toEqual({
      endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
      caData: 'Q0E=',
    });
    expect(requests.at(-1)?.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/eks\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
    );
  });

  it('names the cluster and the AWS error code when the cluster is unknown', async () => {
    await expect(describer()({ clusterName: 'nope', region: 'eu-west-1' })).rejects.toThrow(
      'eks:DescribeCluster nope: ResourceNotFoundException (404): No cluster found for name: nope.',
    );
  });
});
