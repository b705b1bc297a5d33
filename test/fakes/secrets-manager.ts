// Tests use the same local Secrets Manager endpoint as `netcheck dev`.
export {
  type LocalSecretsManager as SecretsManagerFake,
  startLocalSecretsManager as startSecretsManagerFake,
} from '../../src/dev/local-secrets-manager.ts';
