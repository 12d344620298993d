// Reading a control-plane request body the way the service's model validation does: every member
// checked, every failure collected into one "N validation errors detected: …" message, so bad input
// from any client ends in a ValidationException instead of a crash or a half-made resource.
import { shownValue, validationError } from '../service-error';

type Body = Record<string, unknown>;

export interface StringRule {
  readonly required?: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: RegExp;
  /** How the pattern is shown in the message; default its source. */
  readonly patternText?: string;
}

/** A REST-JSON request body as an object (empty means `{}`); anything else is a ValidationException. */
export function jsonObjectBody(bytes: Uint8Array): Body {
  const text = Buffer.from(bytes).toString('utf8');
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw validationError('The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw validationError('The request body must be a JSON object.');
  return value as Body;
}

export class InputReader {
  readonly #errors: string[];

  /** A nested reader shares its parent's `errors`, so one message lists every failure. */
  constructor(
    readonly body: Body,
    readonly prefix = '',
    errors: string[] = [],
  ) {
    this.#errors = errors;
  }

  /** The JSON object in a request body; an empty body is an empty object. */
  static fromJson(bytes: Uint8Array): InputReader {
    return new InputReader(jsonObjectBody(bytes));
  }

  fail(message: string): void {
    this.#errors.push(message);
  }

  string(name: string, rule: StringRule = {}): string | undefined {
    const value = this.body[name];
    const at = `${this.prefix}${name}`;
    if (value === undefined || value === null) {
      if (rule.required) this.fail(`Value null at '${at}' failed to satisfy constraint: Member must not be null`);
      return undefined;
    }
    if (typeof value !== 'string') {
      this.fail(`Value at '${at}' failed to satisfy constraint: Member must be a string`);
      return undefined;
    }
    return this.checkString(value, at, rule) ? value : undefined;
  }

  boolean(name: string): boolean | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') {
      this.fail(`Value at '${this.prefix}${name}' failed to satisfy constraint: Member must be a boolean`);
      return undefined;
    }
    return value;
  }

  integer(name: string, min: number, max: number): number | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(`Value '${shownValue(value)}' at '${this.prefix}${name}' failed to satisfy constraint: Member must have value between ${min} and ${max}`);
      return undefined;
    }
    return value;
  }

  strings(name: string, rule: StringRule & { readonly maxItems?: number } = {}): string[] | undefined {
    const value = this.body[name];
    const at = `${this.prefix}${name}`;
    if (value === undefined || value === null) {
      if (rule.required) this.fail(`Value null at '${at}' failed to satisfy constraint: Member must not be null`);
      return undefined;
    }
    if (!Array.isArray(value)) {
      this.fail(`Value at '${at}' failed to satisfy constraint: Member must be a list`);
      return undefined;
    }
    if (rule.maxItems !== undefined && value.length > rule.maxItems) {
      this.fail(`Value at '${at}' failed to satisfy constraint: Member must have length less than or equal to ${rule.maxItems}`);
      return undefined;
    }
    const items: string[] = [];
    value.forEach((item: unknown, index) => {
      const itemAt = `${at}.${index + 1}.member`;
      if (typeof item !== 'string') this.fail(`Value at '${itemAt}' failed to satisfy constraint: Member must be a string`);
      else if (this.checkString(item, itemAt, rule)) items.push(item);
    });
    return items;
  }

  /** A nested structure; missing is undefined, anything but an object is an error. */
  object(name: string, required = false): InputReader | undefined {
    const value = this.body[name];
    const at = `${this.prefix}${name}`;
    if (value === undefined || value === null) {
      if (required) this.fail(`Value null at '${at}' failed to satisfy constraint: Member must not be null`);
      return undefined;
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.fail(`Value at '${at}' failed to satisfy constraint: Member must be a structure`);
      return undefined;
    }
    return new InputReader(value as Body, `${at}.`, this.#errors);
  }

  /** Throws the collected failures as one ValidationException. */
  done(): void {
    const count = this.#errors.length;
    if (count > 0) throw validationError(`${count} validation error${count === 1 ? '' : 's'} detected: ${this.#errors.join('; ')}`);
  }

  private checkString(value: string, at: string, rule: StringRule): boolean {
    if (rule.min !== undefined && value.length < rule.min) {
      this.fail(`Value '${value}' at '${at}' failed to satisfy constraint: Member must have length greater than or equal to ${rule.min}`);
      return false;
    }
    if (rule.max !== undefined && value.length > rule.max) {
      this.fail(`Value at '${at}' failed to satisfy constraint: Member must have length less than or equal to ${rule.max}`);
      return false;
    }
    if (rule.pattern && !rule.pattern.test(value)) {
      this.fail(`Value '${value}' at '${at}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${rule.patternText ?? rule.pattern.source}`);
      return false;
    }
    return true;
  }
}
