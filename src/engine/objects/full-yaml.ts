// The full `yaml` parser, for what the block subset (simple-yaml.ts) declines. The CLI bundle replaces this module
// with one that requires `yaml` on first call (scripts/build.ts), so a run whose documents all fit the subset never
// initialises the package.
import { parse } from 'yaml';

export function parseFullYaml(text: string): unknown {
  return parse(text);
}
