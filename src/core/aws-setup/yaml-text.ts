// A YAML rendering of plain JSON data (objects, arrays, strings, numbers, booleans) for the
// CloudFormation template: strings JSON-quoted (YAML reads a JSON string as the same string), multi-line
// ones (a CA's PEM) as literal blocks so the certificate reads as it does in its file.
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

const PLAIN_KEY = /^[A-Za-z0-9_]+(?:::[A-Za-z0-9_]+)*$/;

export function yamlText(value: JsonValue): string {
  return `${lines(value, 0).join('\n')}\n`;
}

function lines(value: JsonValue, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}[]`];
    return value.flatMap((item: JsonValue) => {
      const [first = '', ...rest] = isCollection(item) ? lines(item, indent + 2) : [`${pad}  ${scalar(item, indent + 2)}`];
      return [`${pad}- ${first.slice(indent + 2)}`, ...rest];
    });
  }
  if (isObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return [`${pad}{}`];
    return entries.flatMap(([key, item]) => {
      const label = `${pad}${PLAIN_KEY.test(key) ? key : JSON.stringify(key)}:`;
      if (isCollection(item) && !isEmpty(item)) return [label, ...lines(item, indent + 2)];
      return [`${label} ${isCollection(item) ? (Array.isArray(item) ? '[]' : '{}') : scalar(item, indent + 2)}`];
    });
  }
  return [`${pad}${scalar(value, indent)}`];
}

function scalar(value: JsonValue, indent: number): string {
  // A line that starts with a blank would need an indentation indicator: such text stays JSON-quoted.
  if (typeof value !== 'string' || !value.includes('\n') || /(?:^|\n)[ \t]|[ \t](?:\n|$)/.test(value)) return JSON.stringify(value);
  const body = value.replace(/\n+$/, '');
  const trailing = value.length - body.length;
  // Literal blocks keep line breaks; the indicator says how many trailing ones the value has.
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const pad = ' '.repeat(indent);
  const blockLines = (trailing > 1 ? value.slice(0, -1) : body).split('\n').map((line) => (line === '' ? '' : `${pad}${line}`));
  return [`|${chomp}`, ...blockLines].join('\n');
}

function isObject(value: JsonValue): value is { readonly [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCollection(value: JsonValue): value is readonly JsonValue[] | { readonly [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null;
}

function isEmpty(value: readonly JsonValue[] | { readonly [key: string]: JsonValue }): boolean {
  return Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
}
