// One owner for an execution's state (issue 13): no file under api/src outside executions/store/ changes an
// execution's status or runs UPDATE executions. A plain source scan, like plugin-boundary.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const SRC = path.resolve(__dirname, '../src');
const STORE = path.join(SRC, 'modules/executions/store');
const SKIPPED_DIRS = [STORE, path.join(SRC, 'db/migrations')];

function sourceFiles(dir: string): string[] {
  if (SKIPPED_DIRS.includes(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.spec.ts') ? [full] : [];
  });
}

// What writing an execution's state looks like: SQL that updates the table, an assignment to a status of something
// named execution(s), and the ORM's bulk update or assign on the entity
function offences(file: string, text = fs.readFileSync(file, 'utf8')): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const bad: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isStringLiteral(node) ||
        ts.isNoSubstitutionTemplateLiteral(node) ||
        ts.isTemplateHead(node) ||
        ts.isTemplateMiddle(node) ||
        ts.isTemplateTail(node)) &&
      /\bupdate\s+executions\b/i.test(node.text)
    )
      bad.push('UPDATE executions');
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(node.left) &&
      node.left.name.text === 'status' &&
      /execution/i.test(node.left.expression.getText(source))
    )
      bad.push(`${node.left.getText(source)} =`);
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const call = node.expression.name.text;
      const first = node.arguments[0]?.getText(source) ?? '';
      if (call === 'nativeUpdate' && first === 'Execution') bad.push('nativeUpdate(Execution, ...)');
      if (call === 'assign' && /^execution/i.test(first)) bad.push(`assign(${first}, ...)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return bad;
}

describe('the execution store', () => {
  it('should be the only place that changes an execution', () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((file) => offences(file).map((o) => `api/src/${path.relative(SRC, file)}: ${o}`));
    expect(found).toEqual([]);
  });

  it('should catch what it is meant to catch', () => {
    const scan = (text: string) => offences('x.ts', text);
    expect(scan("sql.query('update executions set status = ? where id = ?')")).not.toEqual([]);
    expect(scan('const q = `with m as (UPDATE executions e set x = 1) select 1`;')).not.toEqual([]);
    expect(scan('execution.status = ExecutionStatus.FILLED;')).not.toEqual([]);
    expect(scan("em.nativeUpdate(Execution, { id }, { status: 'PENDING' });")).not.toEqual([]);
    expect(scan('Object.assign(execution, { status: ExecutionStatus.PENDING });')).not.toEqual([]);
    // Reading is free, and so is another entity's status
    expect(scan("sql.query('select status from executions'); user.status = s; if (execution.status === x) {}")).toEqual(
      [],
    );
  });
});
