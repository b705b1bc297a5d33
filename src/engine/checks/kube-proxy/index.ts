// kube-proxy checks: one module per failure mode, plus generic pod-health fallbacks.
import type { RegisteredCheck } from '../../check.ts';
import { apiServerCheck } from './apiserver.ts';
import { clusterCidrCheck } from './cluster-cidr.ts';
import { configErrorsCheck } from './config-errors.ts';
import { configPathCheck } from './config-path.ts';
import { configMapMissingCheck } from './configmap-missing.ts';
import { daemonSetMissingCheck } from './daemonset-missing.ts';
import { hostLimitsCheck } from './host-limits.ts';
import { ipvsCheck } from './ipvs.ts';
import { kubeconfigCheck } from './kubeconfig.ts';
import { podHealthCheck } from './pod-health.ts';
import { rbacCheck } from './rbac.ts';
import { serviceAccountCheck } from './serviceaccount.ts';
import { syncErrorsCheck } from './sync-errors.ts';

export const proxyChecks: RegisteredCheck[] = [
  daemonSetMissingCheck,
  serviceAccountCheck,
  configMapMissingCheck,
  configPathCheck,
  configErrorsCheck,
  kubeconfigCheck,
  apiServerCheck,
  rbacCheck,
  ipvsCheck,
  hostLimitsCheck,
  clusterCidrCheck,
  podHealthCheck,
  syncErrorsCheck,
];
