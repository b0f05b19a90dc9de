// The core speaks only the SDK (issue 13): no file under api/src imports a concrete broker plugin or names one in a
// string. A plain source scan with the TypeScript parser, so comments are free to mention brokers and strings are not.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');
const SRC = path.join(ROOT, 'api/src');

// Applied migrations are history: they keep the names they were written with
const SKIPPED_DIRS = [path.join(SRC, 'db/migrations')];

type Plugin = { name: string; packageName: string; paper: boolean };

// Every plugin of this repository (workspaces and examples), by its manifest name and package name
function repoPlugins(): Plugin[] {
  const dirs = [
    ...fs.readdirSync(path.join(ROOT, 'plugins')).map((d) => path.join(ROOT, 'plugins', d)),
    ...fs.readdirSync(path.join(ROOT, 'examples')).map((d) => path.join(ROOT, 'examples', d)),
  ];
  const plugins: Plugin[] = [];
  for (const dir of dirs) {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name: string };
    if (pkg.name.endsWith('/broker-sdk')) continue;
    const entry = fs.existsSync(path.join(dir, 'src/index.ts')) ? path.join(dir, 'src/index.ts') : dir;
    const mod = require(entry) as { default?: { manifest: { name: string; paper?: boolean } } };
    const manifest = mod.default!.manifest;
    plugins.push({ name: manifest.name, packageName: pkg.name, paper: manifest.paper === true });
  }
  return plugins;
}

function sourceFiles(dir: string): string[] {
  if (SKIPPED_DIRS.includes(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(e.name) ? [full] : [];
  });
}

// Every string literal's text (plain strings, template pieces, import specifiers), comments excluded
function stringsOf(file: string): string[] {
  const source = ts.createSourceFile(
    file,
    fs.readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    false,
    ts.ScriptKind.TS,
  );
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      found.push(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

// What naming a plugin in a string means: its package, exactly its name, its name as a quoted or path token, and for a
// live broker (a brand, never a core concept) its name anywhere. "PAPER", the trading mode, is not the plugin "paper".
function offences(strings: string[], plugins: Plugin[]): string[] {
  const bad: string[] = [];
  for (const s of strings) {
    if (/@algodatta\/broker-(?!sdk\b)/.test(s)) bad.push(`${quote(s)} imports or names a plugin package`);
    for (const p of plugins) {
      const token = new RegExp(`(^|['"/\`])${p.name}(['"/\`]|$)`);
      const brand = !p.paper && p.name !== 'example' && new RegExp(p.name, 'i').test(s);
      if (s === p.name || token.test(s) || brand) bad.push(`${quote(s)} names ${p.name}`);
    }
  }
  return bad;
}

const quote = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}...` : s);

describe('the plugin boundary', () => {
  const plugins = repoPlugins();
  const files = sourceFiles(SRC);

  it('should know the plugins it looks for', () => {
    expect(plugins.map((p) => p.name).sort()).toEqual(expect.arrayContaining(['dhan', 'example', 'paper']));
    expect(files.length).toBeGreaterThan(100);
  });

  it('should find no concrete plugin import or name in api/src', () => {
    const found: string[] = [];
    for (const file of files) {
      const rel = path.relative(SRC, file).split(path.sep).join('/');
      for (const o of offences(stringsOf(file), plugins)) found.push(`api/src/${rel}: ${o}`);
    }
    expect(found).toEqual([]);
  });

  it('should catch what it is meant to catch', () => {
    const scan = (source: string) => {
      const file = path.join(require('node:os').tmpdir(), `boundary-${process.pid}.ts`);
      fs.writeFileSync(file, source);
      try {
        return offences(stringsOf(file), plugins);
      } finally {
        fs.unlinkSync(file);
      }
    };
    expect(scan("import { x } from '@algodatta/broker-dhan';")).not.toEqual([]);
    expect(scan("const b = 'paper';")).not.toEqual([]);
    expect(scan("const q = `select * from t where broker = 'dhan' and x = ${y}`;")).not.toEqual([]);
    expect(scan("router.post('/webhook/dhan/postback', h);")).not.toEqual([]);
    expect(scan("logger.info('DhanHQ said no');")).not.toEqual([]);
    expect(scan('const t = `a ${b} c ${`dhan`} d`;')).not.toEqual([]);
    // Comments, the trading mode and regular expressions are not plugin names
    expect(
      scan(
        "// the paper broker and Dhan\nconst m = 'PAPER'; const r = /paper/; const d = a / b; const s = 'paper.square-off';",
      ),
    ).toEqual([]);
    expect(scan("import { z } from '@algodatta/broker-sdk';")).toEqual([]);
  });
});
