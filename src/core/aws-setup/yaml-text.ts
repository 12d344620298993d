// A YAML rendering of plain JSON data (objects, arrays, strings, numbers, booleans) for the
// CloudFormation template: strings double-quoted with JSON's escapes (which YAML reads alike), multi-line
// ones (a CA's PEM) as literal blocks so the certificate reads as it does in its file.
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

// Keys such as Resources or Fn::GetAtt stay plain; anything YAML could read as a number, boolean or null
// (0x1F, yes, off, ~) is quoted.
const PLAIN_KEY = /^[A-Za-z][A-Za-z0-9_]*(?:::[A-Za-z0-9_]+)*$/;
const YAML_WORDS = /^(?:y|n|yes|no|on|off|true|false|null)$/i;

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
      const label = `${pad}${PLAIN_KEY.test(key) && !YAML_WORDS.test(key) ? key : quoted(key)}:`;
      if (isCollection(item) && !isEmpty(item)) return [label, ...lines(item, indent + 2)];
      return [`${label} ${isCollection(item) ? (Array.isArray(item) ? '[]' : '{}') : scalar(item, indent + 2)}`];
    });
  }
  return [`${pad}${scalar(value, indent)}`];
}

function scalar(value: JsonValue, indent: number): string {
  if (typeof value !== 'string') return JSON.stringify(value);
  // Only text like a PEM goes into a literal block: lines that start with no blank, at most one final
  // line break, no carriage return and none of the characters below. Anything else stays quoted.
  const body = value.endsWith('\n') ? value.slice(0, -1) : value;
  if (!body.includes('\n') || /^\n|\n\n*$|(?:^|\n)[ \t]|[ \t](?:\n|$)|\r/.test(body) || UNPRINTABLE.test(body)) return quoted(value);
  // `|` keeps the one final line break, `|-` means there is none.
  const chomp = body === value ? '-' : '';
  const pad = ' '.repeat(indent);
  const blockLines = body.split('\n').map((line) => (line === '' ? '' : `${pad}${line}`));
  return [`|${chomp}`, ...blockLines].join('\n');
}

// What JSON leaves unescaped but YAML cannot carry as it is: DEL and the C1 controls (outside YAML's
// printable set), NEL and the Unicode line and paragraph separators (line breaks to YAML), U+FFFE/FFFF.
const UNPRINTABLE = /[\u007f-\u009f\u2028\u2029\ufffe\uffff]/;
const UNPRINTABLE_ALL = new RegExp(UNPRINTABLE.source, 'g');

/** A YAML double-quoted scalar: JSON's escapes (YAML reads them all) plus \uXXXX for the characters above. */
function quoted(text: string): string {
  return JSON.stringify(text).replace(UNPRINTABLE_ALL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
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
