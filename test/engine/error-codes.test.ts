import { CodedError, ErrorCodes, type ErrorCode } from '../../src/errors';
import { classifyErrorCode } from '../../src/engine/change/results';
import { ExitCode } from '../../src/engine/model';
import { classifyError } from '../../src/cli/errors';

describe('Error codes: one closed set', () => {
  it('classifies every code, so each one ends a command with a known exit code', () => {
    // Act
    const classes = Object.values(ErrorCodes).map((code) => [code, classifyErrorCode(code)] as const);

    // Assess: every entry answered (undefined would mean a code missing from the table)
    expect(classes.filter(([, kind]) => !['invalid', 'refused', null].includes(kind))).toEqual([]);
    expect(classifyErrorCode(ErrorCodes.lockHeld)).toBe('refused');
    expect(classifyErrorCode(ErrorCodes.shuttingDown)).toBe('refused');
    expect(classifyErrorCode(ErrorCodes.deploymentInProgress)).toBe('refused');
    expect(classifyErrorCode(ErrorCodes.targetGroupNotFound)).toBe('invalid');
    expect(classifyErrorCode(ErrorCodes.rollbackFailed)).toBeNull();
  });

  it('maps a refusal to exit 4, bad input to exit 2 and an unexpected failure of a change to exit 3', () => {
    expect(classifyError(new CodedError(ErrorCodes.lockHeld, 'busy'), true).exitCode).toBe(ExitCode.refused);
    expect(classifyError(new CodedError(ErrorCodes.invalidInput, 'bad'), true).exitCode).toBe(ExitCode.invalid);
    expect(classifyError(new Error('boom'), true).exitCode).toBe(ExitCode.rollbackFailed);
    expect(classifyError(new Error('boom'), false).exitCode).toBe(ExitCode.rolledBack);
  });

  it('refuses an unknown or empty code at compile time', () => {
    // @ts-expect-error: not a code of ErrorCodes
    const made: CodedError = new CodedError('made_up', 'x');
    // @ts-expect-error: no empty code
    const empty: ErrorCode = '';
    expect([made.code, empty]).toEqual(['made_up', '']);
  });
});
