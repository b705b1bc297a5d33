// CNI checks: missing or broken pod network, per-plugin failure signatures.
import type { RegisteredCheck } from '../../check.ts';
import { agentHealthCheck } from './agent-health.ts';
import { awsCheck } from './aws.ts';
import { awsNetworkPolicyCheck } from './aws-network-policy.ts';
import { calicoCheck } from './calico.ts';
import { ciliumCheck } from './cilium.ts';
import { conflictingCheck } from './conflicting.ts';
import { flannelCheck } from './flannel.ts';
import { kubeControllersCheck } from './kube-controllers.ts';
import { networkPolicyCheck } from './network-policy.ts';
import { notInstalledCheck } from './not-installed.ts';
import { pluginBinaryCheck } from './plugin-binary.ts';
import { sandboxFailedCheck } from './sandbox-failed.ts';
import { weaveCheck } from './weave.ts';

export const cniChecks: RegisteredCheck[] = [
  notInstalledCheck,
  pluginBinaryCheck,
  flannelCheck,
  calicoCheck,
  weaveCheck,
  ciliumCheck,
  awsCheck,
  conflictingCheck,
  networkPolicyCheck,
  agentHealthCheck,
  sandboxFailedCheck,
  kubeControllersCheck,
  awsNetworkPolicyCheck,
];
