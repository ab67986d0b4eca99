import { ECSServiceException } from '@aws-sdk/client-ecs';
import { isUnavailableApiError, toCodedError } from '../../src/aws/aws-errors';
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
    [
      'AccessDeniedException',
      'User: arn:aws:sts::123456789012:assumed-role/deployer/s is not authorized to perform: ecs:UpdateService',
    ],
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
    expect(err.message).toBe(
      'ECS UpdateService failed: InvalidParameterException: Task definition does not support launch_type FARGATE.',
    );
    expect(err.cause).toBe(sdkError);
  });

  it('keeps messages on one line and blanks access key ids and secrets', () => {
    // Prepare: AWS's documented example key id, assembled so it never sits in the source as one token
    const keyId = ['AKIA', 'IOSFODNN7EXAMPLE'].join('');
    const sdkError = ecsError(
      'InternalError',
      `bad request\nfrom ${keyId}\nSecret=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`,
      500,
    );

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
      notFound: {
        names: ['ServiceNotFoundException'],
        code: 'service_not_found',
        message: 'ECS service x not found in cluster y',
      },
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

/** A Node socket error as the SDK's HTTP handler passes it on. */
function socketError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('Function: toCodedError (failures worth another try)', () => {
  it.each([
    ['a 500', ecsError('ServerException', 'internal error', 500)],
    ['a 503', ecsError('ServiceUnavailable', 'unavailable', 503)],
    ['a reset connection', socketError('ECONNRESET', 'socket hang up')],
    ['a timeout', Object.assign(new Error('Connection timed out after 5000 ms'), { name: 'TimeoutError' })],
    ['a 502', ecsError('BadGateway', 'bad gateway', 502)],
  ])('marks the aws_error built from %s with details.transient', (_case, sdkError) => {
    // Act
    const err = toCodedError(sdkError, context);

    // Assess
    expect(err.code).toBe('aws_error');
    expect(err.details).toMatchObject({ transient: true });
  });

  it.each([
    ['throttling', ecsError('ThrottlingException', 'Rate exceeded')],
    ['a throttled CodedError', toCodedError(ecsError('ThrottlingException', 'Rate exceeded'), context)],
  ])('gives %s the code throttled, which callers try again', (_case, thrown) => {
    // Act
    const err = toCodedError(thrown, context);

    // Assess
    expect(err.code).toBe('throttled');
  });

  it.each([
    ['access denied', ecsError('AccessDeniedException', 'not authorized', 400)],
    ['an invalid parameter', ecsError('InvalidParameterException', 'bad', 400)],
    ['a 501', ecsError('NotImplemented', 'not implemented', 501)],
    ['a not-found CodedError', new CodedError('service_not_found', 'ECS service x not found')],
  ])('marks %s as neither transient nor throttled', (_case, thrown) => {
    // Act
    const err = toCodedError(thrown, context);

    // Assess
    expect(err.details?.transient).toBeUndefined();
    expect(err.code).not.toBe('throttled');
  });
});

describe('Function: isUnavailableApiError', () => {
  it.each([
    [
      'AccessDeniedException',
      ecsError('AccessDeniedException', 'not authorized to perform: ecs:ListServiceDeployments'),
    ],
    ['UnknownOperationException', ecsError('UnknownOperationException', '')],
    ['InvalidAction', ecsError('InvalidAction', 'Unsupported action')],
    ['UnsupportedFeatureException', ecsError('UnsupportedFeatureException', 'not supported in this region')],
    ['a 404', ecsError('UnknownError', 'Not Found', 404)],
    ['a 400 with an unknown target', ecsError('SerializationException', 'Unknown target X.ListServiceDeployments')],
  ])('counts %s as a missing or denied API', (_case, err) => {
    // Act
    const unavailable = isUnavailableApiError(err);

    // Assess
    expect(unavailable).toBe(true);
  });

  it.each([
    ['throttling', ecsError('ThrottlingException', 'Rate exceeded')],
    ['a 500', ecsError('ServerException', 'internal error', 500)],
    [
      'expired credentials',
      ecsError('ExpiredTokenException', 'The security token included in the request is expired', 403),
    ],
    ['an invalid parameter', ecsError('InvalidParameterException', 'bad arn')],
  ])('does not count %s', (_case, err) => {
    // Act
    const unavailable = isUnavailableApiError(err);

    // Assess
    expect(unavailable).toBe(false);
  });

  it('maps such an error to api_unavailable only for calls that have a fallback', () => {
    // Prepare
    const sdkError = ecsError('AccessDeniedException', 'not authorized');

    // Act
    const withFallback = toCodedError(sdkError, {
      api: 'ECS',
      operation: 'ListServiceDeployments',
      fallback: 'judges from the deployments array',
    });
    const without = toCodedError(sdkError, { api: 'ECS', operation: 'UpdateService' });

    // Assess
    expect(withFallback.code).toBe('api_unavailable');
    expect(withFallback.message).toBe(
      'ECS ListServiceDeployments was denied (IAM action ecs:ListServiceDeployments): not authorized; the tool judges from the deployments array instead',
    );
    expect(without.code).toBe('access_denied');
  });
});
