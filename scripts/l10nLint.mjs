// l10nLint.mjs: the lint rule that catches user-visible English written straight into the UI instead of through
// l10n.t() (issue #15; docs/ARCHITECTURE.md "Localisation"). eslint.config.mjs adds these `no-restricted-syntax`
// selectors for src/** (VS Code's messages, quick picks, input boxes, status bar items) and src/webview/** (DOM text
// and attributes). Crude on purpose: it looks at literals passed or assigned directly; text built elsewhere and
// passed in a variable is for review and the UI tests. A literal is text when it has a letter outside codicons
// ("$(sync~spin)") and the product's name ("Tally: " before a translated sentence is fine).
const NOT_TEXT = '/^([\\s:;,.·|()–—-]|\\$\\([\\w~-]+\\)|Tally)*$/';
const literal = `Literal[value=/[A-Za-z]/]:not([value=${NOT_TEXT}])`;
const template = `TemplateLiteral:has(TemplateElement[value.raw=/[A-Za-z]/]:not([value.raw=${NOT_TEXT}]))`;
const concat = `BinaryExpression[operator='+']:has(${literal})`;
/** A string, template or concatenation with text in it, as the node matched by `field`. */
const text = (field) => `:matches(${literal}, ${template}, ${concat}).${field}`;

const message = 'User-visible text goes through l10n.t() (see docs/ARCHITECTURE.md, Localisation).';
const rule = (selector) => ({ selector, message });

/** For every file under src/: VS Code's own UI fed a literal. */
export const hostTextSelectors = [
  rule(
    `CallExpression[callee.property.name=/^show(Information|Warning|Error)Message$/] > ${text('arguments')}:first-child`,
  ),
  rule(
    `CallExpression[callee.property.name=/^(showQuickPick|showInputBox)$/] Property[key.name=/^(placeHolder|prompt|title)$/] > ${text('value')}`,
  ),
  rule(`AssignmentExpression[left.property.name=/^(text|tooltip)$/] > ${text('right')}`),
];

/** For src/webview/: text put into the DOM. */
export const webviewTextSelectors = [
  rule(`AssignmentExpression[left.property.name=/^(textContent|title|placeholder)$/] > ${text('right')}`),
  rule(
    `CallExpression[callee.property.name='setAttribute'][arguments.0.value=/^(aria-label|title|placeholder)$/] > ${text('arguments')}:nth-child(2)`,
  ),
  rule(`Property[key.name=/^(textContent|title|placeholder)$/] > ${text('value')}`),
];
