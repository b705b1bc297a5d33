// `netcheck completion bash|zsh|fish`: shell completion for the commands, scopes, flags and their values, built
// from the same tables the parser uses so they cannot drift apart. Also completes `kubectl-netcheck`.
import { DIAGNOSE_FLAGS, OUTPUTS, SCOPES } from './diagnose-command.ts';
import type { Io } from './io.ts';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;

/** Words that may come first, with what they do. Scopes may repeat (`netcheck dns proxy`). */
export const COMMANDS: [string, string][] = [
  ['dns', 'check CoreDNS / kube-dns and what it depends on'],
  ['cni', 'check the pod network (CNI)'],
  ['proxy', 'check kube-proxy'],
  ['all', 'check everything (the default)'],
  ['demo', 'diagnose a broken sandbox cluster on this machine'],
  ['sandbox', 'serve a scenario cluster on 127.0.0.1'],
  ['schema', "print the report's JSON Schema"],
  ['completion', 'print a shell completion script'],
  ['version', 'print the version'],
  ['help', 'show help'],
];

const LANGS = ['en', 'ko'];
const CONTEXTS = 'kubectl config get-contexts -o name 2>/dev/null';
const flags = Object.entries(DIAGNOSE_FLAGS).flatMap(([name, f]) => [
  `--${name}`,
  ...('short' in f ? [`-${f.short}`] : []),
]);

function bash(): string {
  const words = COMMANDS.map(([w]) => w).join(' ');
  return `# bash completion for netcheck: source <(netcheck completion bash)
_netcheck() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
  case "$prev" in
    -o|--output) COMPREPLY=($(compgen -W "${OUTPUTS.join(' ')}" -- "$cur")); return ;;
    --lang) COMPREPLY=($(compgen -W "${LANGS.join(' ')}" -- "$cur")); return ;;
    --kubeconfig) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --context) COMPREPLY=($(compgen -W "$(${CONTEXTS})" -- "$cur")); return ;;
    --timeout) COMPREPLY=(); return ;;
    completion) COMPREPLY=($(compgen -W "${SHELLS.join(' ')}" -- "$cur")); return ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "${flags.join(' ')} --version" -- "$cur"))
  elif [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W "${words}" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "${SCOPES.join(' ')}" -- "$cur"))
  fi
}
complete -F _netcheck netcheck kubectl-netcheck
`;
}

function zsh(): string {
  const quote = (s: string) => s.replace(/'/g, "'\\''").replace(/:/g, '\\:');
  const commands = COMMANDS.map(([w, d]) => `'${w}:${quote(d)}'`).join(' ');
  const args = Object.entries(DIAGNOSE_FLAGS).map(([name, f]) => {
    const names = 'short' in f ? `'(-${f.short} --${name})'{-${f.short},--${name}}` : `'--${name}`;
    const open = 'short' in f ? `'` : '';
    const value =
      name === 'output'
        ? `:format:(${OUTPUTS.join(' ')})`
        : name === 'lang'
          ? `:language:(${LANGS.join(' ')})`
          : name === 'kubeconfig'
            ? ':kubeconfig:_files'
            : name === 'context'
              ? `:context:{compadd -- \${(f)"$(${CONTEXTS})"}}`
              : name === 'timeout'
                ? ':seconds:'
                : '';
    return `    ${names}${open}[${quote(f.describe)}]${value}'`;
  });
  return `#compdef netcheck kubectl-netcheck
# zsh completion for netcheck: source <(netcheck completion zsh), or save as _netcheck on $fpath
_netcheck() {
  local -a commands
  commands=(${commands})
  if (( CURRENT == 2 )) && [[ $words[CURRENT] != -* ]]; then
    _describe 'command' commands
    return
  fi
  if [[ $words[2] == completion ]]; then
    _values 'shell' ${SHELLS.join(' ')}
    return
  fi
  _arguments -s \\
${args.join(' \\\n')} \\
    '*:scope:(${SCOPES.join(' ')})'
}
if [[ $funcstack[1] == _netcheck ]]; then
  _netcheck "$@"
else
  compdef _netcheck netcheck kubectl-netcheck
fi
`;
}

function fish(): string {
  const lines = [
    '# fish completion for netcheck: netcheck completion fish | source',
    'complete -c netcheck -f',
    ...COMMANDS.map(([w, d]) => `complete -c netcheck -n __fish_use_subcommand -a ${w} -d '${d.replace(/'/g, "\\'")}'`),
    `complete -c netcheck -n '__fish_seen_subcommand_from ${SCOPES.join(' ')}' -a '${SCOPES.join(' ')}'`,
    `complete -c netcheck -n '__fish_seen_subcommand_from completion' -a '${SHELLS.join(' ')}'`,
  ];
  for (const [name, f] of Object.entries(DIAGNOSE_FLAGS)) {
    const short = 'short' in f ? ` -s ${f.short}` : '';
    const value =
      name === 'output'
        ? ` -x -a '${OUTPUTS.join(' ')}'`
        : name === 'lang'
          ? ` -x -a '${LANGS.join(' ')}'`
          : name === 'kubeconfig'
            ? ' -r -F'
            : name === 'context'
              ? ` -x -a '(${CONTEXTS})'`
              : name === 'timeout'
                ? ' -x'
                : '';
    lines.push(`complete -c netcheck${short} -l ${name}${value} -d '${f.describe.replace(/'/g, "\\'")}'`);
  }
  lines.push('complete -c netcheck -s v -l version -d "print the version"', 'complete -c kubectl-netcheck -w netcheck');
  return `${lines.join('\n')}\n`;
}

export function completionCommand(argv: string[], io: Io): number {
  const program = io.program ?? 'netcheck';
  const [shell, ...rest] = argv;
  const scripts = { bash, zsh, fish };
  if (!shell || rest.length > 0 || !(SHELLS as readonly string[]).includes(shell)) {
    io.stderr.write(
      `${program}: completion needs one shell: bash, zsh or fish${shell && !(SHELLS as readonly string[]).includes(shell) ? `, not "${shell}"` : ''}.\nusage: ${program} completion bash|zsh|fish\n`,
    );
    return 2;
  }
  io.stdout.write(scripts[shell as (typeof SHELLS)[number]]());
  return 0;
}
