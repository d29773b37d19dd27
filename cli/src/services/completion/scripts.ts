/**
 * Shell scripts that ask `kubectl-seccomp complete -- WORDS` (the protocol of kubectl's plugin
 * completion: candidates one a line, then `:DIRECTIVE`; 4 means "no file names").
 */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

const bash = (bin: string) => `# kubectl-seccomp completion for bash: source <(${bin} completion bash)
_kubectl_seccomp() {
  local cur=\${COMP_WORDS[COMP_CWORD]} out directive
  out=$(${bin} complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) || return
  directive=\${out##*:}
  out=\${out%:*}
  COMPREPLY=($(compgen -W "$out" -- "$cur"))
  if (( (directive & 4) == 0 )); then COMPREPLY+=($(compgen -f -- "$cur")); fi
}
complete -o default -F _kubectl_seccomp ${bin}
`;

const zsh = (bin: string) => `# kubectl-seccomp completion for zsh: source <(${bin} completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bash(bin).split('\n').slice(1).join('\n')}`;

const fish = (bin: string) => `# kubectl-seccomp completion for fish: ${bin} completion fish | source
function __kubectl_seccomp_complete
    set -l words (commandline -opc)[2..-1] (commandline -ct)
    set -l out (${bin} complete -- $words 2>/dev/null)
    set -l directive (string replace ':' '' -- $out[-1])
    string join \\n -- $out[1..-2]
    if test (math "bitand($directive, 4)") -eq 0
        __fish_complete_path (commandline -ct)
    end
end
complete -c ${bin} -f -a '(__kubectl_seccomp_complete)'
`;

export const completionScript = (shell: Shell, bin: string): string => ({ bash, zsh, fish })[shell](bin);
