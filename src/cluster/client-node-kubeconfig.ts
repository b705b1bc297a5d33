// client-node's KubeConfig alone, behind a dynamic import: `import('@kubernetes/client-node')` would keep all of
// the package (its generated APIs, ~4 MB bundled), a named re-export lets the bundler drop what is not used.
export { KubeConfig } from '@kubernetes/client-node';
