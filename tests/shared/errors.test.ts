// One error table: each code's message, its next step for a terminal and, where the window offers its
// own way, its next step for the window.
import { describe, expect, it } from 'vitest';
import { ERRORS, INTERNAL_ERROR, isErrorCode, nextStep, RolecallError, toErrorInfo, type ErrorCode } from '../../src/shared/errors';

const entries = Object.entries(ERRORS) as [ErrorCode, { readonly next: string; readonly nextInWindow?: string }][];
const withWindowWording = entries.filter(([, text]) => text.nextInWindow !== undefined);

describe('next steps', () => {
  it('are the window wording in the window for a code that has one, the terminal wording otherwise', () => {
    expect(nextStep({ code: 'AWS_PROFILE_TAKEN', next: ERRORS.AWS_PROFILE_TAKEN.next }, 'window')).toBe('Choose another name, or let Rolecall take over that profile.');
    expect(nextStep({ code: 'AWS_PROFILE_TAKEN', next: ERRORS.AWS_PROFILE_TAKEN.next }, 'terminal')).toBe('Choose another name, or pass --force to let Rolecall take over that profile.');
    expect(nextStep({ code: 'NOT_FOUND', next: ERRORS.NOT_FOUND.next }, 'window')).toBe(ERRORS.NOT_FOUND.next);
    expect(nextStep({ code: 'NOT_FOUND', next: ERRORS.NOT_FOUND.next }, 'terminal')).toBe(ERRORS.NOT_FOUND.next);
  });

  it('keep the next step a failure carries in a terminal (it may name the real profile or command)', () => {
    const failure = new RolecallError('NOT_ACTIVE', undefined, { next: 'Activate it first: `rolecall activate team-dev`.' });
    expect(nextStep(failure, 'terminal')).toBe('Activate it first: `rolecall activate team-dev`.');
    expect(nextStep(failure, 'window')).toBe('Switch the profile on first.');
    const unnamed = new RolecallError('EXEC_NOT_FOUND', undefined, { next: 'Install aws, or give its full path.' });
    expect(nextStep(unnamed, 'window')).toBe('Install aws, or give its full path.');
  });

  it('keep the carried wording for a code this version does not know (an agent of another version)', () => {
    // @ts-expect-error a code outside the table is a compile error; at run time it keeps its own wording.
    expect(nextStep({ code: 'SOMETHING_NEW', next: 'Do this.' }, 'window')).toBe('Do this.');
  });

  it('have a window wording only where it differs from the terminal one', () => {
    expect(withWindowWording.length).toBeGreaterThan(0);
    for (const [code, { next, nextInWindow }] of withWindowWording) expect(nextInWindow, code).not.toBe(next);
  });
});

describe('codes', () => {
  it('are the keys of the table, nothing else', () => {
    expect(isErrorCode('PROFILE_NOT_FOUND')).toBe(true);
    expect(isErrorCode('SOMETHING_NEW')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode(42)).toBe(false);
  });
});

describe('failures that are not Rolecall errors', () => {
  it('become the table\'s INTERNAL entry without their own text', () => {
    expect(toErrorInfo(new Error('secret-ish text'))).toEqual({ code: 'INTERNAL', message: ERRORS.INTERNAL.message, next: ERRORS.INTERNAL.next });
    expect(toErrorInfo('boom')).toBe(INTERNAL_ERROR);
  });
});
