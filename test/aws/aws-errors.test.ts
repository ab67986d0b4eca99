import { ECSServiceException } from '@aws-sdk/client-ecs';
import { toCodedError } from '../../src/aws/aws-errors';
import { CodedError } from '../../src/errors';

/** An SDK service error as the ECS client would throw it. */
function ecsError(name: string, message: string, httpStatusCode = 400, attempts = 1): ECSServiceException {
  return new ECSServiceException({ name, message, $fault: 'client', $metadata: { httpStatusCode, attempts } });
}

/** The SDK's own error when no credentials provider found anything. */
function credentialsProviderError(): Error {
  const err = new Error('Could not load credentials from any providers');
  err.name = 'CredentialsProviderError';
  return err;
}

const context = { api: 'ECS', operation: 'UpdateService' } as const;

describe('Function: toCodedError', () => {
  it.each(['ThrottlingException', 'TooManyRequestsException', 'Throttling', 'RequestLimitExceeded'])(
    'maps %s to throttled, naming the call',
    (name) => {
      // Prepare
      const sdkError = ecsError(name, 'Rate exceeded', 400, 5);

      // Act
      const err = toCodedError(sdkError, context);

      // Assess
      expect(err.code).toBe('throttled');
      expect(err.message).toBe('ECS UpdateService was throttled by AWS after 5 attempts; try again in a minute');
      expect(err.cause).toBe(sdkError);
    },
  );

  it.each([
    ['AccessDeniedException', 'User: arn:aws:sts::123456789012:assumed-role/deployer/s is not authorized to perform: ecs:UpdateService'],
    ['AccessDenied', 'User is not authorized'],
    ['UnauthorizedOperation', 'You are not authorized to perform this operation.'],
    ['ExpiredTokenException', 'The security token included in the request is expired'],
    ['UnrecognizedClientException', 'The security token included in the request is invalid.'],
  ])('maps %s to access_denied with a credentials/IAM hint', (name, message) => {
    // Prepare
    const sdkError = ecsError(name, message, 403);

    // Act
    const err = toCodedError(sdkError, context);

    // Assess
    expect(err.code).toBe('access_denied');
    expect(err.message).toContain('ECS UpdateService was denied');
    expect(err.message).toContain('IAM policy allows ecs:UpdateService');
    expect(err.cause).toBe(sdkError);
  });

  it('maps a credentials-provider error to access_denied saying no credentials were found', () => {
    // Act
    const err = toCodedError(credentialsProviderError(), { api: 'ECR', operation: 'DescribeImages' });

    // Assess
    expect(err.code).toBe('access_denied');
    expect(err.message).toContain('no usable AWS credentials');
  });

  it('maps anything else to aws_error naming the operation and keeping the cause', () => {
    // Prepare
    const sdkError = ecsError('InvalidParameterException', 'Task definition does not support launch_type FARGATE.');

    // Act
    const err = toCodedError(sdkError, context);

    // Assess
    expect(err).toBeInstanceOf(CodedError);
    expect(err.code).toBe('aws_error');
    expect(err.message).toBe('ECS UpdateService failed: InvalidParameterException: Task definition does not support launch_type FARGATE.');
    expect(err.cause).toBe(sdkError);
  });

  it('keeps messages on one line and blanks access key ids and secrets', () => {
    // Prepare: AWS's documented example key id, assembled so it never sits in the source as one token
    const keyId = ['AKIA', 'IOSFODNN7EXAMPLE'].join('');
    const sdkError = ecsError('InternalError', `bad request\nfrom ${keyId}\nSecret=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`, 500);

    // Act
    const err = toCodedError(sdkError, context);

    // Assess
    expect(err.message).not.toContain('\n');
    expect(err.message).not.toContain(keyId);
    expect(err.message).not.toContain('wJalrXUtnFEMI');
  });

  it('uses the not-found rule of the call when the error name matches', () => {
    // Prepare
    const sdkError = ecsError('ServiceNotFoundException', 'Service not found.');

    // Act
    const err = toCodedError(sdkError, {
      ...context,
      notFound: { names: ['ServiceNotFoundException'], code: 'service_not_found', message: 'ECS service x not found in cluster y' },
    });

    // Assess
    expect(err.code).toBe('service_not_found');
    expect(err.message).toBe('ECS service x not found in cluster y');
    expect(err.cause).toBe(sdkError);
  });

  it('passes a CodedError through unchanged', () => {
    // Prepare
    const original = new CodedError('container_not_found', 'container "x" is not in task definition');

    // Act
    const err = toCodedError(original, context);

    // Assess
    expect(err).toBe(original);
  });
});
