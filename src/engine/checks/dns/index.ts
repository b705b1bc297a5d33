// Cluster-DNS checks: CoreDNS / kube-dns workload, Corefile, RBAC and the kube-dns Service.
import type { RegisteredCheck } from '../../check.ts';
import { apiUnreachableCheck } from './api-unreachable.ts';
import { clusterMismatchCheck } from './cluster-mismatch.ts';
import { configMapCheck } from './configmap.ts';
import { corefileCheck } from './corefile.ts';
import { crashloopCheck } from './crashloop.ts';
import { forwardLoopbackCheck } from './forward-loopback.ts';
import { imagePullCheck } from './image-pull.ts';
import { nameserverLimitCheck } from './nameserver-limit.ts';
import { noReplicasCheck } from './no-replicas.ts';
import { nodeLocalCheck } from './nodelocal.ts';
import { pendingCheck } from './pending.ts';
import { permissionDeniedCheck } from './permission-denied.ts';
import { rbacCheck } from './rbac.ts';
import { serviceCheck } from './service.ts';
import { serviceAccountCheck } from './serviceaccount.ts';
import { upstreamUnreachableCheck } from './upstream-unreachable.ts';

export const dnsChecks: RegisteredCheck[] = [
  noReplicasCheck,
  pendingCheck,
  serviceAccountCheck,
  configMapCheck,
  imagePullCheck,
  corefileCheck,
  rbacCheck,
  apiUnreachableCheck,
  permissionDeniedCheck,
  crashloopCheck,
  upstreamUnreachableCheck,
  serviceCheck,
  clusterMismatchCheck,
  nameserverLimitCheck,
  nodeLocalCheck,
  forwardLoopbackCheck,
];
