import { describe, expect, it } from 'vitest';
import { asSentence, nextStep, toProblem } from '../../src/renderer/format/errors';
import { ERRORS, type ErrorCode } from '../../src/shared/errors';

/** Codes whose next step may name a command or flag: of another tool, or met only in a terminal. */
const TERMINAL_WORDING_ALLOWED: Partial<Record<ErrorCode, string>> = {
  DISCOVERY_CREDENTIALS_INVALID: 'the AWS CLI',
  DISCOVERY_CREDENTIALS_EXPIRED: 'the AWS CLI',
  AWS_PROFILE_UNUSABLE: 'the AWS CLI',
  IMPORT_LINE_INVALID: 'aws_signing_helper lines in ~/.aws/config',
  KEYCHAIN_LOCKED: 'gnome-keyring',
  NO_TTY: 'terminal only',
  AGENT_UNAVAILABLE: 'terminal only',
  PORT_UNAVAILABLE: 'terminal only',
};

describe('next steps in the window', () => {
  it('never asks for a rolecall command or one of its flags', () => {
    for (const [code, { next }] of Object.entries(ERRORS) as [ErrorCode, { next: string }][]) {
      if (TERMINAL_WORDING_ALLOWED[code]) continue;
      expect(nextStep({ code, next }), code).not.toMatch(/`|(^|[\s(])--[a-z]/);
    }
  });

  it('keeps the terminal wording for a code without a window wording', () => {
    expect(nextStep({ code: 'NOT_FOUND', next: ERRORS.NOT_FOUND.next })).toBe(ERRORS.NOT_FOUND.next);
  });

  it('says what the window offers instead of a flag where it has its own way, for every code', () => {
    expect(nextStep({ code: 'AWS_PROFILE_TAKEN', next: ERRORS.AWS_PROFILE_TAKEN.next })).toBe('Choose another name, or let Rolecall take over that profile.');
    for (const [code, text] of Object.entries(ERRORS) as [ErrorCode, { readonly next: string; readonly nextInWindow?: string }][]) {
      expect(nextStep({ code, next: text.next }), code).toBe(text.nextInWindow ?? text.next);
    }
  });
});

describe('failures as problems', () => {
  it('keeps code, message, next step and detail of a failure the bridge sent', () => {
    expect(toProblem({ name: 'RolecallError', code: 'NOT_FOUND', message: 'm', next: 'n', detail: 'd' })).toEqual({ code: 'NOT_FOUND', message: 'm', next: 'n', detail: 'd' });
  });

  it('turns anything else into INTERNAL without its text', () => {
    expect(toProblem(new Error('secret-ish text'))).toEqual({ code: 'INTERNAL', message: ERRORS.INTERNAL.message, next: ERRORS.INTERNAL.next });
    expect(toProblem('boom').code).toBe('INTERNAL');
  });

  it('turns a code Rolecall does not have into INTERNAL', () => {
    expect(toProblem({ code: 'SOMETHING_NEW', message: 'm', next: 'n' })).toEqual({ code: 'INTERNAL', message: ERRORS.INTERNAL.message, next: ERRORS.INTERNAL.next });
  });
});

describe('details as sentences', () => {
  it('starts a detail with a capital and ends it with a full stop', () => {
    expect(asSentence('expired Jun 1, 2021')).toBe('Expired Jun 1, 2021.');
    expect(asSentence('3 intermediate certificates; at most 5 can be sent')).toBe('3 intermediate certificates; at most 5 can be sent.');
    expect(asSentence('Already a sentence.')).toBe('Already a sentence.');
  });

  it('keeps the case of an identifier it starts with', () => {
    expect(asSentence('keyUsage is keyCertSign')).toBe('keyUsage is keyCertSign.');
    expect(asSentence('basicConstraints has cA set')).toBe('basicConstraints has cA set.');
    expect(asSentence('sha1WithRSAEncryption')).toBe('sha1WithRSAEncryption.');
  });
});
