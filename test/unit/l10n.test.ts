// Every string the user reads in Chinese (issue #15): the keys are extracted from src/**/*.ts by @vscode/l10n-dev (the
// standard extractor, tree-sitter based) and checked against the zh-cn bundle merged exactly as the build merges it
// (scripts/l10nBundle.mjs): each key has a translation with Chinese characters in it, no translation is left over
// from a string that is gone, placeholders {0}… are the same on both sides. The TypeScript compiler's AST checks the
// contract of /docs/ARCHITECTURE.md "Localisation": t() comes from `import * as l10n from '@vscode/l10n'` (never
// vscode.l10n.t), its message is a literal (the extractor reads only literals) and it runs inside a function (a t()
// at module top level runs before activation loads the bundle, so it would freeze English).
// package.json's strings are checked by l10nManifest.test.ts, the merge's own failures by l10nBundle.test.ts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import ts from 'typescript';
import { getL10nJson, type l10nJsonFormat } from '@vscode/l10n-dev';
import { mergeFragments, readFragments } from '../../scripts/l10nBundle.mjs';

const root = path.resolve(__dirname, '../..');
const FRAGMENTS = path.join(root, 'i18n', 'zh-cn');
const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;

/**
 * English strings whose Chinese is rightly the same text (a name, or only placeholders and punctuation; those with
 * no letters at all need no entry here).
 */
const SAME_IN_CHINESE = new Set(['Tally']);

interface Call {
  /** file:line, for messages. */
  where: string;
  /** The message when the first argument is a literal, else undefined. */
  message?: string;
  topLevel: boolean;
}

interface SourceScan {
  calls: Call[];
  /** Files that call l10n.t, with their import declarations blanked out (see extractKeys). */
  withCalls: string[];
  /** Contract breaches found by the AST walk, one line each. */
  breaches: string[];
}

function sourceFiles(): string[] {
  return (fs.readdirSync(path.join(root, 'src'), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => path.join(root, 'src', f))
    .sort();
}

const isL10n = (e: ts.Expression) => ts.isIdentifier(e) && e.text === 'l10n';
/** `l10n.t` (the contract's form) or `vscode.l10n.t` (forbidden). */
const tCallee = (e: ts.Expression): 'l10n' | 'vscode' | undefined => {
  if (!ts.isPropertyAccessExpression(e) || e.name.text !== 't') return undefined;
  if (isL10n(e.expression)) return 'l10n';
  const inner = e.expression;
  return ts.isPropertyAccessExpression(inner) && inner.name.text === 'l10n' ? 'vscode' : undefined;
};

/** A top-level t() runs when its module loads; one inside a function or a per-instance field runs later. */
function atTopLevel(node: ts.Node): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (ts.isFunctionLike(p)) return false;
    if (ts.isPropertyDeclaration(p) && !p.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) return false;
  }
  return true;
}

function literalMessage(arg: ts.Expression | undefined): string | undefined {
  if (!arg) return undefined;
  if (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) return arg.text;
  if (ts.isObjectLiteralExpression(arg)) {
    const message = arg.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === 'message');
    if (message && ts.isPropertyAssignment(message)) return literalMessage(message.initializer);
  }
  return undefined;
}

/** Adds one file's t() calls and contract breaches to `scan`. */
function scanText(scan: SourceScan, rel: string, text: string): void {
  const source = ts.createSourceFile(rel, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const imports: ts.ImportDeclaration[] = [];
  let calls = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) imports.push(node);
    const callee = ts.isCallExpression(node) ? tCallee(node.expression) : undefined;
    if (ts.isCallExpression(node) && callee) {
      const where = `${rel}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
      if (callee === 'vscode') scan.breaches.push(`${where}: vscode.l10n.t (use l10n.t from @vscode/l10n)`);
      const message = literalMessage(node.arguments[0]);
      if (message === undefined) scan.breaches.push(`${where}: t() without a literal message`);
      const topLevel = atTopLevel(node);
      if (topLevel) scan.breaches.push(`${where}: t() at module top level`);
      scan.calls.push({ where, message, topLevel });
      if (callee === 'l10n') calls++;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (calls === 0) return;
  const l10nImport = imports.find((i) => (i.moduleSpecifier as ts.StringLiteral).text === '@vscode/l10n');
  const bindings = l10nImport?.importClause?.namedBindings;
  if (!bindings || !ts.isNamespaceImport(bindings) || bindings.name.text !== 'l10n') {
    scan.breaches.push(`${rel}: calls l10n.t without \`import * as l10n from '@vscode/l10n'\``);
  }
  // Imports blanked (same length, so lines stay put): the extractor compiles a query per import statement (~0.5 s
  // each), and only the one l10n import matters, which extractKeys puts back once at the top.
  let blanked = text;
  for (const i of imports) {
    const [start, end] = [i.getStart(), i.getEnd()];
    blanked = blanked.slice(0, start) + blanked.slice(start, end).replace(/[^\n]/g, ' ') + blanked.slice(end);
  }
  scan.withCalls.push(blanked);
}

function scanSources(): SourceScan {
  const scan: SourceScan = { calls: [], withCalls: [], breaches: [] };
  for (const file of sourceFiles()) {
    const text = fs.readFileSync(file, 'utf8');
    if (text.includes('l10n')) scanText(scan, path.relative(root, file), text);
  }
  return scan;
}

/** The keys @vscode/l10n-dev extracts, from all files at once (one parse; see scanSources): key -> English message. */
async function extractKeys(files: string[]): Promise<Map<string, string>> {
  const contents = ["import * as l10n from '@vscode/l10n';", ...files].join('\n');
  const json: l10nJsonFormat = await getL10nJson([{ extension: '.ts', contents }]);
  return new Map(Object.entries(json).map(([key, v]) => [key, typeof v === 'string' ? v : v.message]));
}

const placeholders = (s: string) => (s.match(/\{\d+\}/g) ?? []).sort().join(' ');
const needsChinese = (message: string) =>
  /[A-Za-z]/.test(message.replace(/\{\d+\}/g, '')) && !SAME_IN_CHINESE.has(message);

describe('l10n: every runtime string has its Chinese', () => {
  let scan: SourceScan;
  let keys: Map<string, string>;
  let zh: Record<string, string>;
  let fragmentOf: Map<string, string>;
  /** English message -> where it is called, for messages that point at the code. */
  const whereIs = (message: string) => scan.calls.find((c) => c.message === message)?.where ?? '?';

  before(async () => {
    scan = scanSources();
    keys = await extractKeys(scan.withCalls);
    const fragments = readFragments(FRAGMENTS);
    zh = mergeFragments(fragments);
    fragmentOf = new Map(
      fragments.flatMap(({ file, entries }) => Object.keys(entries).map((k) => [k, path.relative(root, file)])),
    );
  });

  it('finds the strings (the extractor and the AST walk agree that there are some)', () => {
    assert.ok(keys.size > 0, 'no l10n.t() call found in src/');
    const literal = new Set(scan.calls.map((c) => c.message).filter((m) => m !== undefined));
    const missed = [...literal].filter((m) => ![...keys.values()].includes(m));
    assert.deepEqual(missed, [], 'strings the AST sees in t() but the extractor does not');
  });

  it('every extracted string has a non-empty zh-cn translation in Chinese', () => {
    const missing: string[] = [];
    for (const [key, message] of keys) {
      const t = zh[key];
      if (t === undefined || t.trim() === '') missing.push(`${whereIs(message)}: ${JSON.stringify(key)} has none`);
      else if (needsChinese(message) && !CJK.test(t)) {
        missing.push(`${fragmentOf.get(key)}: ${JSON.stringify(key)} -> ${JSON.stringify(t)} has no Chinese`);
      }
    }
    assert.deepEqual(missing, [], `${missing.length} of ${keys.size} strings lack a Chinese translation`);
  });

  it('no translation is stale (every fragment key is still in the source)', () => {
    const stale = Object.keys(zh)
      .filter((k) => !keys.has(k))
      .map((k) => `${fragmentOf.get(k)}: ${JSON.stringify(k)}`);
    assert.deepEqual(stale, [], 'translations of strings no longer in src/ (or keyed differently)');
  });

  it('placeholders {0}… are the same in the English and the Chinese', () => {
    const wrong = Object.entries(zh)
      .filter(([key]) => keys.has(key))
      .filter(([key, t]) => placeholders(keys.get(key)!) !== placeholders(t))
      .map(([key, t]) => `${fragmentOf.get(key)}: ${JSON.stringify(key)} -> ${JSON.stringify(t)}`);
    assert.deepEqual(wrong, []);
  });

  it('t() is the one from @vscode/l10n, with a literal message, never at module top level', () => {
    assert.deepEqual(scan.breaches, []);
  });

  it('the contract check reports each breach in a sample and accepts the right form', () => {
    const sample: SourceScan = { calls: [], withCalls: [], breaches: [] };
    const good =
      "import * as l10n from '@vscode/l10n';\nexport function f(n: number) {\n  return l10n.t('{0} left', n);\n}\n";
    scanText(sample, 'good.ts', good);
    scanText(sample, 'method.ts', "import * as l10n from '@vscode/l10n';\nclass A {\n  x = l10n.t('Hi');\n}\n");
    assert.deepEqual(sample.breaches, []);
    assert.equal(sample.calls.length, 2);
    scanText(sample, 'top.ts', "import * as l10n from '@vscode/l10n';\nexport const LABEL = l10n.t('Stop');\n");
    scanText(sample, 'var.ts', "import * as l10n from '@vscode/l10n';\nexport const f = (m: string) => l10n.t(m);\n");
    scanText(sample, 'vs.ts', "import * as vscode from 'vscode';\nexport const f = () => vscode.l10n.t('Stop');\n");
    scanText(
      sample,
      'named.ts',
      "import { t } from '@vscode/l10n';\nconst l10n = { t };\nexport const f = () => l10n.t('A');\n",
    );
    assert.deepEqual(sample.breaches, [
      'top.ts:2: t() at module top level',
      'var.ts:2: t() without a literal message',
      'vs.ts:2: vscode.l10n.t (use l10n.t from @vscode/l10n)',
      "named.ts: calls l10n.t without `import * as l10n from '@vscode/l10n'`",
    ]);
  });
});
