// Tests use the same local SSM Parameter Store endpoint as the config-document tests of `netcheck dev`'s wing.
export { type LocalSsm as SsmFake, startLocalSsm as startSsmFake } from '../../src/dev/local-ssm.ts';
