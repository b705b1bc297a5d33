// Client settings for the AWS fakes on 127.0.0.1: dummy credentials, no retries, short timeouts.
export function localAwsClientConfig(endpoint: string) {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts: 1,
  };
}
