// Old API servers do not serve discovery.k8s.io/v1 EndpointSlices (404 on the list). The same facts are in v1
// Endpoints, so the collector reads those instead and hands the checks EndpointSlice-shaped objects: a missing API
// group must neither hide a Service without endpoints nor become one.
import { ClusterError, type ClusterReader, type KubeObject, type ListOptions } from '../cluster-reader.ts';

const SERVICE_NAME = 'kubernetes.io/service-name';

interface EndpointAddress {
  ip?: string;
  nodeName?: string;
  targetRef?: unknown;
}

/** One v1 Endpoints object as the EndpointSlice the checks expect (ready and not-ready addresses, ports). */
export function sliceFromEndpoints(endpoints: KubeObject): KubeObject {
  const subsets: { addresses?: EndpointAddress[]; notReadyAddresses?: EndpointAddress[]; ports?: unknown[] }[] =
    Array.isArray(endpoints.subsets) ? endpoints.subsets : [];
  const endpoint = (a: EndpointAddress, ready: boolean) => ({
    addresses: typeof a?.ip === 'string' ? [a.ip] : [],
    conditions: { ready },
    ...(a?.nodeName ? { nodeName: a.nodeName } : {}),
    ...(a?.targetRef ? { targetRef: a.targetRef } : {}),
  });
  const name = endpoints.metadata?.name ?? '';
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name,
      ...(endpoints.metadata?.namespace ? { namespace: endpoints.metadata.namespace } : {}),
      ...(endpoints.metadata?.uid ? { uid: `${endpoints.metadata.uid}/endpoints` } : {}),
      labels: { [SERVICE_NAME]: name },
    },
    addressType: 'IPv4',
    endpoints: subsets.flatMap((s) => [
      ...(Array.isArray(s?.addresses) ? s.addresses : []).map((a) => endpoint(a, true)),
      ...(Array.isArray(s?.notReadyAddresses) ? s.notReadyAddresses : []).map((a) => endpoint(a, false)),
    ]),
    ports: subsets.flatMap((s) => (Array.isArray(s?.ports) ? s.ports : [])),
  };
}

/**
 * Lists EndpointSlices, falling back to v1 Endpoints when the API server does not serve the discovery group. Only a
 * whole namespace or a `kubernetes.io/service-name=NAME` selector has an Endpoints equivalent (all of the namespace's,
 * or the object named after the Service); any other 404 stays a failure, so the component is `unknown`, not ok.
 */
export async function listEndpointSlices(reader: ClusterReader, options: ListOptions): Promise<KubeObject[]> {
  try {
    return await reader.list('endpointslices', options);
  } catch (error) {
    const service = new RegExp(`^${SERVICE_NAME}=([a-z0-9.-]+)$`).exec(options.labelSelector ?? '')?.[1];
    const whole = options.labelSelector === undefined && options.fieldSelector === undefined;
    if (!(error instanceof ClusterError) || error.kind !== 'not-found' || (!service && !whole)) throw error;
    const { labelSelector: _selector, ...rest } = options;
    // A whole namespace's slices are its Endpoints objects; one Service's slices are the Endpoints named after it.
    const endpoints = await reader.list(
      'endpoints',
      service ? { ...rest, fieldSelector: `metadata.name=${service}` } : rest,
    );
    return endpoints.map(sliceFromEndpoints);
  }
}
