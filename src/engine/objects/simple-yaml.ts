// Block-style YAML as kubectl, kind, k3s and cloud CLIs write kubeconfigs and kubeadm writes its ConfigMaps
// (KubeProxyConfiguration, KubeletConfiguration, ClusterConfiguration), read without the `yaml` package: on a CLI run,
// loading and cold-parsing with `yaml` is one of the largest single costs before the report. Scalars resolve as
// `yaml`'s default parse does (YAML 1.2 core schema: decimal ints and floats, null/~, true/false, quoted strings).
// Anything outside that plain subset (flow collections, anchors, tags, block scalars, multi-line scalars, octal, hex,
// exponents, .inf/.nan, timestamp- or 1.1-looking plain scalars, duplicate keys) returns undefined, and the caller
// parses with `yaml`, so the answer is always the one `yaml` would give.

export type SimpleYamlValue = string | number | boolean | null | SimpleYamlValue[] | { [key: string]: SimpleYamlValue };
type Value = SimpleYamlValue;

interface Line {
  indent: number;
  text: string;
}

class Unsupported extends Error {}

const unsupported = (): never => {
  throw new Unsupported();
};

/** Parses `text`, or returns undefined when it is not in the subset (then use a full YAML parser). */
export function parseSimpleYaml(text: string): Value | undefined {
  const lines: Line[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const body = raw.trimEnd();
    const trimmed = body.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (body.slice(0, body.length - trimmed.length).includes('\t')) return undefined;
    lines.push({ indent: body.length - trimmed.length, text: trimmed });
  }
  if (lines[0]?.text === '---' && lines[0].indent === 0) lines.shift();
  if (lines.length === 0) return undefined;
  try {
    const state = { i: 0 };
    const value = block(lines, state, lines[0]!.indent);
    return state.i === lines.length ? value : undefined;
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

function block(lines: Line[], state: { i: number }, indent: number): Value {
  const first = lines[state.i]!;
  if (first.indent !== indent) unsupported();
  return first.text === '-' || first.text.startsWith('- ')
    ? sequence(lines, state, indent)
    : mapping(lines, state, indent);
}

function sequence(lines: Line[], state: { i: number }, indent: number): Value[] {
  const items: Value[] = [];
  while (state.i < lines.length && lines[state.i]!.indent === indent) {
    const line = lines[state.i]!;
    if (line.text !== '-' && !line.text.startsWith('- ')) break;
    const rest = line.text.slice(1).trimStart();
    if (rest === '') {
      state.i++;
      items.push(nested(lines, state, indent) ?? null);
      continue;
    }
    if (rest.startsWith('- ') || rest === '-') unsupported();
    if (keyOf(rest) !== undefined) {
      // "- key: value" opens a mapping whose keys sit where `key` starts.
      lines[state.i] = { indent: indent + (line.text.length - rest.length), text: rest };
      items.push(mapping(lines, state, lines[state.i]!.indent));
      continue;
    }
    state.i++;
    items.push(scalar(rest));
  }
  return items;
}

function mapping(lines: Line[], state: { i: number }, indent: number): { [key: string]: Value } {
  const out: { [key: string]: Value } = {};
  while (state.i < lines.length && lines[state.i]!.indent === indent) {
    const line = lines[state.i]!;
    if (line.text === '-' || line.text.startsWith('- ')) break;
    const parsed = keyOf(line.text) ?? unsupported();
    const [key, rest] = parsed;
    if (Object.hasOwn(out, key) || key === '__proto__' || key === '<<') unsupported();
    state.i++;
    if (rest !== '') {
      out[key] = scalar(rest);
      continue;
    }
    // "key:" then a more indented block, or a sequence at the same indent, or nothing (null).
    const next = lines[state.i];
    if (next && next.indent === indent && (next.text === '-' || next.text.startsWith('- '))) {
      out[key] = sequence(lines, state, indent);
    } else out[key] = nested(lines, state, indent) ?? null;
  }
  if (state.i < lines.length && lines[state.i]!.indent > indent) unsupported();
  return out;
}

function nested(lines: Line[], state: { i: number }, parent: number): Value | undefined {
  const next = lines[state.i];
  if (!next || next.indent <= parent) return undefined;
  return block(lines, state, next.indent);
}

/** `key: rest` (rest without its comment), or undefined when the line is not a simple mapping entry. */
function keyOf(text: string): [string, string] | undefined {
  let key: string;
  let after: string;
  if (text.startsWith('"') || text.startsWith("'")) {
    const end = quotedEnd(text);
    if (end < 0) return undefined;
    key = scalarString(text.slice(0, end + 1));
    after = text.slice(end + 1);
    if (!after.startsWith(':')) return undefined;
    after = after.slice(1);
  } else {
    const m = /^([A-Za-z0-9_][A-Za-z0-9_./-]*):(?:\s|$)/.exec(text);
    if (!m) return undefined;
    key = m[1]!;
    // `yaml` would type "1.0" or "true" first and stringify it back, which need not give the same text.
    if (plainScalar(key) !== key) return undefined;
    after = text.slice(m[1]!.length + 1);
  }
  if (after !== '' && !/^\s/.test(after)) return undefined;
  return [key, after.trim()];
}

function quotedEnd(text: string): number {
  const q = text[0];
  for (let i = 1; i < text.length; i++) {
    if (q === "'" && text[i] === "'") {
      if (text[i + 1] === "'") {
        i++;
        continue;
      }
      return i;
    }
    if (q === '"' && text[i] === '\\') {
      i++;
      continue;
    }
    if (q === '"' && text[i] === '"') return i;
  }
  return -1;
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', n: '\n', t: '\t', r: '\r' };

function scalarString(quoted: string): string {
  const body = quoted.slice(1, -1);
  if (quoted[0] === "'") return body.replaceAll("''", "'");
  return body.replace(/\\(.)/g, (_, c: string) => ESCAPES[c] ?? unsupported());
}

function scalar(text: string): Value {
  if (text.startsWith('"') || text.startsWith("'")) {
    const end = quotedEnd(text);
    const tail = end < 0 ? unsupported() : text.slice(end + 1).trim();
    if (tail !== '' && !tail.startsWith('#')) unsupported();
    return scalarString(text.slice(0, end + 1));
  }
  if (text === '{}') return {};
  if (text === '[]') return [];
  // Plain scalar: a comment starts at " #"; indicators, flow, anchors, tags and block scalars are left to `yaml`.
  const value = text.replace(/\s+#.*$/, '');
  return plainScalar(value);
}

const INT = /^-?(?:0|[1-9][0-9]{0,14})$/;
const FLOAT = /^-?(?:0|[1-9][0-9]{0,14})\.[0-9]{1,15}$/;
/** Plain scalars that some schema (core, or YAML 1.1 for readers that use it) types as other than a string. */
const AMBIGUOUS = [
  /^[-+]?[0-9][0-9_]*$/, // ints with a sign, leading zeros, underscores, or too many digits
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?$/, // floats: "1.", ".5", "1.5e3"
  /^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$/, // "1e3"
  /^[-+]?0[xob]/i, // hex, octal, binary
  /^[-+]?\.(?:inf|nan)$/i,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/, // YAML 1.1 sexagesimal
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/, // timestamps
  /^(?:y|n|yes|no|on|off)$/i, // YAML 1.1 booleans: a string to `yaml`, but not to every reader
];

function plainScalar(value: string): Value {
  if (INT.test(value)) return Number.parseInt(value, 10);
  if (FLOAT.test(value)) return Number.parseFloat(value);
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(value) || /: |:$/.test(value) || value.includes(' #')) unsupported();
  if (value === 'true' || value === 'True' || value === 'TRUE') return true;
  if (value === 'false' || value === 'False' || value === 'FALSE') return false;
  if (value === 'null' || value === 'Null' || value === 'NULL' || value === '~') return null;
  if (/^(?:true|false|null)$/i.test(value) || AMBIGUOUS.some((re) => re.test(value))) unsupported();
  return value;
}
