// How each IAM condition operator compares one value written in the policy with one value of the
// request. Negated operators (StringNotEquals, ArnNotLike, …) are their positive twin with `negated`
// set: the clause logic (evaluate-condition.ts) applies "none of the values matches" for them.
import { BlockList, isIP } from 'node:net';
import { piecesText } from './policy-variables';
import type { BaseOperator } from './trust-policy';
import { piecesMatch, type PatternPiece } from './wildcard';

/** Expands a policy value's variables; `wildcards` makes `*` and `?` outside them wildcards. */
export type Expand = (policyValue: string, wildcards: boolean) => PatternPiece[] | undefined;

type Matcher = (policyValue: string, requestValue: string, expand: Expand) => boolean;

export interface OperatorRule {
  readonly negated: boolean;
  readonly matches: Matcher;
}

const stringEquals: Matcher = (policyValue, requestValue, expand) => {
  const pieces = expand(policyValue, false);
  return pieces !== undefined && piecesText(pieces) === requestValue;
};

const stringEqualsIgnoreCase: Matcher = (policyValue, requestValue, expand) => {
  const pieces = expand(policyValue, false);
  return pieces !== undefined && piecesText(pieces).toLowerCase() === requestValue.toLowerCase();
};

const stringLike: Matcher = (policyValue, requestValue, expand) => {
  const pieces = expand(policyValue, true);
  return pieces !== undefined && piecesMatch(pieces, requestValue);
};

/**
 * ArnEquals and ArnLike behave alike: each of the six colon-separated parts is matched on its own,
 * wildcards allowed, case-sensitive; the resource part keeps any further colons. Variables are expanded
 * first, so `${aws:SourceArn}` splits like the ARN it stands for. A value that is not an ARN matches nothing.
 */
const arnLike: Matcher = (policyValue, requestValue, expand) => {
  const pieces = expand(policyValue, true);
  const policyParts = pieces && arnPieceParts(pieces);
  const requestParts = arnParts(requestValue);
  if (!policyParts || !requestParts) return false;
  return policyParts.every((part, index) => piecesMatch(part, requestParts[index] ?? ''));
};

const ARN_PARTS = 6;

function arnParts(value: string): string[] | undefined {
  const parts = value.split(':');
  if (parts.length < ARN_PARTS || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, ARN_PARTS - 1), parts.slice(ARN_PARTS - 1).join(':')];
}

/** Splits pattern pieces at the first five colons of their text. */
function arnPieceParts(pieces: readonly PatternPiece[]): PatternPiece[][] | undefined {
  const parts: PatternPiece[][] = [[]];
  for (const piece of pieces) {
    if (piece.kind !== 'text') {
      parts[parts.length - 1]?.push(piece);
      continue;
    }
    let rest = piece.text;
    let colon = rest.indexOf(':');
    while (colon >= 0 && parts.length < ARN_PARTS) {
      if (colon > 0) parts[parts.length - 1]?.push({ kind: 'text', text: rest.slice(0, colon) });
      parts.push([]);
      rest = rest.slice(colon + 1);
      colon = rest.indexOf(':');
    }
    if (rest) parts[parts.length - 1]?.push({ kind: 'text', text: rest });
  }
  return parts.length === ARN_PARTS ? parts : undefined;
}

const bool: Matcher = (policyValue, requestValue) => {
  const wanted = policyValue.toLowerCase();
  return (wanted === 'true' || wanted === 'false') && wanted === requestValue.toLowerCase();
};

function numeric(compare: (request: number, policy: number) => boolean): Matcher {
  return (policyValue, requestValue) => {
    const policy = parseNumber(policyValue);
    const request = parseNumber(requestValue);
    return policy !== undefined && request !== undefined && compare(request, policy);
  };
}

function parseNumber(text: string): number | undefined {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  return Number.isFinite(value) ? value : undefined;
}

function date(compare: (request: number, policy: number) => boolean): Matcher {
  return (policyValue, requestValue) => {
    const policy = parseDate(policyValue);
    const request = parseDate(requestValue);
    return policy !== undefined && request !== undefined && compare(request, policy);
  };
}

/** ISO 8601 text, or whole seconds since the epoch (as aws:EpochTime holds). */
function parseDate(text: string): number | undefined {
  const value = /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text);
  return Number.isFinite(value) ? value : undefined;
}

const ipAddress: Matcher = (policyValue, requestValue) => {
  const [network = '', prefixText] = policyValue.split('/');
  const family = isIP(network);
  const requestFamily = isIP(requestValue);
  if (family === 0 || requestFamily !== family) return false;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const prefix = prefixText === undefined ? (family === 4 ? 32 : 128) : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) return false;
  const block = new BlockList();
  block.addSubnet(network, prefix, type);
  return block.check(requestValue, type);
};

const binaryEquals: Matcher = (policyValue, requestValue) => policyValue === requestValue;

const positive = (matches: Matcher): OperatorRule => ({ negated: false, matches });
const negated = (matches: Matcher): OperatorRule => ({ negated: true, matches });

/** Every operator but Null, which looks at presence rather than values. */
export const OPERATOR_RULES: Readonly<Record<Exclude<BaseOperator, 'Null'>, OperatorRule>> = {
  StringEquals: positive(stringEquals),
  StringNotEquals: negated(stringEquals),
  StringEqualsIgnoreCase: positive(stringEqualsIgnoreCase),
  StringNotEqualsIgnoreCase: negated(stringEqualsIgnoreCase),
  StringLike: positive(stringLike),
  StringNotLike: negated(stringLike),
  NumericEquals: positive(numeric((request, policy) => request === policy)),
  NumericNotEquals: negated(numeric((request, policy) => request === policy)),
  NumericLessThan: positive(numeric((request, policy) => request < policy)),
  NumericLessThanEquals: positive(numeric((request, policy) => request <= policy)),
  NumericGreaterThan: positive(numeric((request, policy) => request > policy)),
  NumericGreaterThanEquals: positive(numeric((request, policy) => request >= policy)),
  DateEquals: positive(date((request, policy) => request === policy)),
  DateNotEquals: negated(date((request, policy) => request === policy)),
  DateLessThan: positive(date((request, policy) => request < policy)),
  DateLessThanEquals: positive(date((request, policy) => request <= policy)),
  DateGreaterThan: positive(date((request, policy) => request > policy)),
  DateGreaterThanEquals: positive(date((request, policy) => request >= policy)),
  Bool: positive(bool),
  BinaryEquals: positive(binaryEquals),
  IpAddress: positive(ipAddress),
  NotIpAddress: negated(ipAddress),
  ArnEquals: positive(arnLike),
  ArnLike: positive(arnLike),
  ArnNotEquals: negated(arnLike),
  ArnNotLike: negated(arnLike),
};
