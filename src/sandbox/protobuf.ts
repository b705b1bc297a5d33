// Just enough Kubernetes protobuf to read review requests: client-go's typed clients (kubectl auth can-i) send
// `application/vnd.kubernetes.protobuf`. We always answer in JSON, which those clients also accept.

type Fields = Map<number, (Buffer | number)[]>;

function varint(buf: Buffer, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = buf[pos++];
    if (b === undefined) throw new Error('truncated varint');
    result += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [result, pos];
    shift += 7;
  }
}

export function decodeFields(buf: Buffer): Fields {
  const fields: Fields = new Map();
  let pos = 0;
  while (pos < buf.length) {
    const [tag, p1] = varint(buf, pos);
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    let value: Buffer | number;
    if (wire === 0) [value, pos] = varint(buf, p1);
    else if (wire === 2) {
      const [len, p2] = varint(buf, p1);
      value = buf.subarray(p2, p2 + len);
      pos = p2 + len;
    } else if (wire === 1) [value, pos] = [0, p1 + 8];
    else if (wire === 5) [value, pos] = [0, p1 + 4];
    else throw new Error(`unsupported wire type ${wire}`);
    const list = fields.get(field) ?? [];
    list.push(value);
    fields.set(field, list);
  }
  return fields;
}

const bytes = (f: Fields, n: number): Buffer | undefined => {
  const v = f.get(n)?.[0];
  return Buffer.isBuffer(v) ? v : undefined;
};
const str = (f: Fields, n: number): string | undefined => bytes(f, n)?.toString('utf8');

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"

/** Decodes a SelfSubjectAccessReview or SelfSubjectRulesReview envelope into its JSON shape. */
export function decodeReview(body: Buffer): Record<string, unknown> {
  if (!body.subarray(0, 4).equals(MAGIC)) throw new Error('not a kubernetes protobuf envelope');
  const unknown = decodeFields(body.subarray(4));
  const typeMeta = decodeFields(bytes(unknown, 1) ?? Buffer.alloc(0));
  const kind = str(typeMeta, 2) ?? '';
  const apiVersion = str(typeMeta, 1) ?? '';
  const review = decodeFields(bytes(unknown, 2) ?? Buffer.alloc(0));
  const spec = decodeFields(bytes(review, 2) ?? Buffer.alloc(0));
  if (kind === 'SelfSubjectRulesReview') {
    return { kind, apiVersion, metadata: {}, spec: { namespace: str(spec, 1) ?? '' } };
  }
  const out: Record<string, unknown> = {};
  const ra = bytes(spec, 1);
  if (ra) {
    const f = decodeFields(ra);
    const names = ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name'];
    out.resourceAttributes = Object.fromEntries(names.map((n, i) => [n, str(f, i + 1) ?? '']));
  }
  const nra = bytes(spec, 2);
  if (nra) {
    const f = decodeFields(nra);
    out.nonResourceAttributes = { path: str(f, 1) ?? '', verb: str(f, 2) ?? '' };
  }
  return { kind, apiVersion, metadata: {}, spec: out };
}
