// The languages the chat panel highlights (issue #13 item 4): highlight.js's "common" set plus a few more. esbuild.js
// ships each one as its own file in dist/highlight/, loaded by the panel only when a reply has a block in it, and
// gives the panel the fence-tag table below (tag -> file). The table comes from highlight.js's own definitions (each
// language's name and aliases), so it cannot drift from them; test/unit/codeHighlight.test.ts checks it.
const LANGUAGES = [
  // highlight.js/lib/common
  'bash',
  'c',
  'cpp',
  'csharp',
  'css',
  'diff',
  'go',
  'graphql',
  'ini',
  'java',
  'javascript',
  'json',
  'kotlin',
  'less',
  'lua',
  'makefile',
  'markdown',
  'objectivec',
  'perl',
  'php',
  'php-template',
  'plaintext',
  'python',
  'python-repl',
  'r',
  'ruby',
  'rust',
  'scss',
  'shell',
  'sql',
  'swift',
  'typescript',
  'vbnet',
  'wasm',
  'xml',
  'yaml',
  // and
  'dart',
  'dockerfile',
  'elixir',
  'haskell',
  'powershell',
  'protobuf',
  'scala',
  'latex',
  'fsharp',
  'nginx',
];

/** Fence tag (lower case) -> the highlight.js language file that highlights it. A language's own name wins over
 *  another language's alias. */
function aliasTable() {
  const hljs = require('highlight.js/lib/core').newInstance();
  const table = {};
  for (const name of LANGUAGES) {
    hljs.registerLanguage(name, require(`highlight.js/lib/languages/${name}`));
    table[name] = name;
  }
  for (const name of LANGUAGES) {
    for (const alias of hljs.getLanguage(name).aliases ?? []) {
      const tag = alias.toLowerCase();
      if (!(tag in table)) table[tag] = name;
    }
  }
  return table;
}

module.exports = { LANGUAGES, aliasTable };
