import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { enclosingSymbol, type SymbolNode } from '../../src/core/actions/enclosingSymbol';

const sym = (
  name: string,
  kind: string,
  from: [number, number],
  to: [number, number],
  children?: SymbolNode[],
): SymbolNode => ({
  name,
  kind,
  start: { line: from[0], character: from[1] },
  end: { line: to[0], character: to[1] },
  ...(children ? { children } : {}),
});

// class Shop (lines 0-20) { field total (line 1); method add (3-9) { const x (4); const f = () => {…} (5-8) }; method pay (11-19) }
// function helper (22-25); const LIMIT (27)
const tree: SymbolNode[] = [
  sym(
    'Shop',
    'Class',
    [0, 0],
    [20, 1],
    [
      sym('total', 'Property', [1, 2], [1, 20]),
      sym(
        'add',
        'Method',
        [3, 2],
        [9, 3],
        [sym('x', 'Variable', [4, 4], [4, 20]), sym('f', 'Variable', [5, 4], [8, 6])],
      ),
      sym('pay', 'Method', [11, 2], [19, 3]),
    ],
  ),
  sym('helper', 'Function', [22, 0], [25, 1]),
  sym('LIMIT', 'Constant', [27, 0], [27, 18]),
];

const at = (line: number, character = 6) => enclosingSymbol(tree, { line, character })?.name;

describe('enclosingSymbol', () => {
  it('picks the innermost block around the cursor', () => {
    assert.equal(at(12), 'pay');
    assert.equal(at(23), 'helper');
    assert.equal(at(6), 'f', 'a multi-line variable (an arrow function) is a block');
  });

  it('skips one-line non-block symbols and takes their block parent', () => {
    assert.equal(at(4), 'add', 'the variable x is one line: its method is taken');
    assert.equal(at(1), 'Shop', 'a one-line property: the class');
  });

  it('between members: the class; outside every block: nothing', () => {
    assert.equal(at(10), 'Shop');
    assert.equal(at(21), undefined);
    assert.equal(at(27), undefined, 'a one-line constant is not a block');
    assert.equal(enclosingSymbol([], { line: 0, character: 0 }), undefined);
  });

  it('the ends of a range are inside it, one character past is not', () => {
    assert.equal(enclosingSymbol(tree, { line: 22, character: 0 })?.name, 'helper');
    assert.equal(enclosingSymbol(tree, { line: 25, character: 1 })?.name, 'helper');
    assert.equal(enclosingSymbol(tree, { line: 25, character: 2 })?.name, undefined);
  });
});
