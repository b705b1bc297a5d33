// IPv4/IPv6 CIDR parsing for pod and cluster CIDR checks.

interface Parsed {
  bits: number;
  value: bigint;
}

function parseIPv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    value = (value << 8n) | BigInt(Number(p));
  }
  return value;
}

function parseIPv6(text: string): bigint | undefined {
  let head = text;
  // An embedded IPv4 tail (::ffff:10.0.0.1) is the last two 16-bit groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const tail = parseIPv4(v4[1]!);
    if (tail === undefined) return undefined;
    head = `${text.slice(0, -v4[1]!.length)}${(tail >> 16n).toString(16)}:${(tail & 0xffffn).toString(16)}`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (s: string | undefined) => (s ? s.split(':') : []);
  const left = groupsOf(halves[0]);
  const right = groupsOf(halves[1]);
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return undefined;
  const groups = [...left, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...right];
  let value = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    value = (value << 16n) | BigInt(Number.parseInt(g, 16));
  }
  return value;
}

function parseCidr(text: string): (Parsed & { prefix: number }) | undefined {
  const [ip, prefixText] = text.trim().split('/');
  if (!ip) return undefined;
  const v4 = ip.includes(':') ? undefined : parseIPv4(ip);
  const v6 = ip.includes(':') ? parseIPv6(ip) : undefined;
  const value = v4 ?? v6;
  if (value === undefined) return undefined;
  const bits = v4 !== undefined ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits) return undefined;
  return { bits, value, prefix };
}

/** True when `cidrOrIp` lies entirely inside `cidr`. IPv4 and IPv6; families never contain each other. */
export function cidrContains(cidr: string, cidrOrIp: string): boolean {
  const outer = parseCidr(cidr);
  const inner = parseCidr(cidrOrIp);
  if (!outer || !inner || outer.bits !== inner.bits || inner.prefix < outer.prefix) return false;
  const shift = BigInt(outer.bits - outer.prefix);
  return outer.value >> shift === inner.value >> shift;
}

export function isValidCidr(text: string): boolean {
  return parseCidr(text) !== undefined;
}
