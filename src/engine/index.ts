// The engine's public API: everything the CLI, the Slack worker and the tests import.
export type {
  Check,
  CheckContext,
  CniKind,
  CollectFailure,
  DnsKind,
  FindingDoc,
  Fingerprint,
  Flavor,
  ProxyKind,
  RegisteredCheck,
  RemediationSafety,
  Snapshot,
} from './check.ts';
export {
  ClusterError,
  type ClusterReader,
  type KubeObject,
  type ListOptions,
  type LogOptions,
} from './cluster-reader.ts';
export { type CollectOptions, collect, collectedNothing } from './collect.ts';
export { componentStatus, type DiagnoseOptions, diagnose, worstStatus } from './diagnose.ts';
export { CNI_NAMES, fingerprint } from './fingerprint.ts';
export { translator } from './i18n.ts';
export { LINK_RULES, linkRootCauses } from './link.ts';
export { allChecks, checksFor } from './registry.ts';
export { isRemediationId, REMEDIATION_IDS, type RemediationId } from './remediation-ids.ts';
export {
  type ComponentReport,
  type Finding,
  type Lang,
  Report,
  reportJsonSchema,
  SCOPES,
  Scope,
  type Severity,
  type Status,
} from './report.ts';
export {
  type ComponentView,
  componentsForScope,
  componentsInScope,
  type FindingView,
  type LocatedFinding,
  nothingReadable,
  type ReportView,
  reportView,
  sortComponents,
  sortFindings,
  type Verdict,
  verdict,
} from './report-view.ts';
