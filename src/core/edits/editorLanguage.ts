// A code fence's language tag ("ts", "py", "c++", "sh") -> the VS Code language id of a new file holding the block.
// Most tags are already ids ("typescript", "python", "go"); the rest are the usual short names.

const ALIASES: Record<string, string> = {
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'typescriptreact',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  node: 'javascript',
  jsx: 'javascriptreact',
  py: 'python',
  python3: 'python',
  rb: 'ruby',
  rs: 'rust',
  golang: 'go',
  kt: 'kotlin',
  kts: 'kotlin',
  cs: 'csharp',
  'c#': 'csharp',
  'c++': 'cpp',
  cc: 'cpp',
  cxx: 'cpp',
  hpp: 'cpp',
  h: 'c',
  objc: 'objective-c',
  objectivec: 'objective-c',
  sh: 'shellscript',
  bash: 'shellscript',
  zsh: 'shellscript',
  shell: 'shellscript',
  console: 'shellscript',
  ps1: 'powershell',
  pwsh: 'powershell',
  ps: 'powershell',
  yml: 'yaml',
  md: 'markdown',
  htm: 'html',
  xhtml: 'html',
  svg: 'xml',
  jsonc: 'jsonc',
  docker: 'dockerfile',
  make: 'makefile',
  mk: 'makefile',
  text: 'plaintext',
  txt: 'plaintext',
  plain: 'plaintext',
  patch: 'diff',
  tex: 'latex',
  fs: 'fsharp',
  'f#': 'fsharp',
  vb: 'vb',
  vbnet: 'vb',
  ex: 'elixir',
  exs: 'elixir',
  hs: 'haskell',
  pl: 'perl',
  proto: 'proto3',
};

/** The id to open the block with: the tag itself or its usual name if VS Code knows it, else plain text. */
export function editorLanguageFor(tag: string, known: ReadonlySet<string>): string {
  const t = tag.trim().toLowerCase();
  if (known.has(t)) return t;
  const alias = ALIASES[t];
  return alias !== undefined && known.has(alias) ? alias : 'plaintext';
}
