// The block-style YAML that kubectl, kind, k3s and cloud CLIs write kubeconfigs in, read without the `yaml` package:
// on a CLI run, lexing a kubeconfig's long base64 scalars is one of the largest single costs before the first request.
// Anything outside that plain subset (flow collections, anchors, tags, block scalars, multi-line or numeric-looking
// plain scalars, duplicate keys) returns undefined, and the caller parses with `yaml` — so the answer is always
// the one `yaml` would give.

type Value = string | boolean | null | Value[] | { [key: string]: Value };

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
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(value) || /: |:$/.test(value) || value.includes(' #')) unsupported();
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (value === 'null' || value === '~') return null;
  // Numbers, and the other spellings of booleans and null, are the full parser's to type.
  if (/^[-+.\d]/.test(value) || /^(true|false|null|yes|no|on|off)$/i.test(value) || /^\.(inf|nan)$/i.test(value)) {
    unsupported();
  }
  return value;
}
