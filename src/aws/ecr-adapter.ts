import { DescribeImagesCommand, type ECRClient } from '@aws-sdk/client-ecr';
import type { EcrPort } from '../engine/ports';
import type { ImageRef } from '../engine/types';
import { CodedError, ErrorCodes } from '../errors';
import { awsErrorName, callAws } from './aws-errors';
import type { ClientFactory } from './client-factory';

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** ECR through the SDK: tags to digests. */
export class EcrAdapter implements EcrPort {
  constructor(private readonly clientFor: ClientFactory<ECRClient>) {}

  /**
   * Resolves `repository:tag` to its digest and a URI pinned by that digest.
   * @throws CodedError `image_not_found` (missing tag or repository) naming both; `aws_error` on a malformed digest.
   */
  async resolveImage(region: string, repository: string, tag: string): Promise<ImageRef> {
    const missing = `no image tagged ${tag} in ECR repository ${repository}`;
    const code = ErrorCodes.imageNotFound;
    const out = await callAws(
      {
        api: 'ECR',
        operation: 'DescribeImages',
        notFound: [
          { names: ['ImageNotFoundException'], code, message: `${missing} (${region})` },
          {
            names: ['RepositoryNotFoundException'],
            code,
            message: `${missing}: the repository does not exist in ${region}`,
          },
        ],
      },
      () =>
        this.clientFor(region).send(
          new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageTag: tag }] }),
        ),
    );
    const details = out.imageDetails ?? [];
    const image = details.find((d) => d.imageTags?.includes(tag)) ?? details.at(0);
    if (!image)
      throw new CodedError(ErrorCodes.imageNotFound, `${missing} (${region})`, { details: { repository, tag } });
    const digest = image.imageDigest ?? '';
    if (!DIGEST.test(digest)) {
      throw new CodedError(
        ErrorCodes.awsError,
        `ECR returned an unexpected digest for ${repository}:${tag}: ${digest.slice(0, 80) || 'none'}`,
      );
    }
    const repositoryName = image.repositoryName ?? repository;
    // Without a registry id the engine pins the digest onto the registry path the service already uses.
    const registry = image.registryId ? `${image.registryId}.dkr.ecr.${region}.amazonaws.com/` : '';
    return {
      repository,
      tag,
      digest,
      imageUri: `${registry}${repositoryName}@${digest}`,
      pushedAt: image.imagePushedAt,
    };
  }

  /**
   * The tags of the image with `digest`; empty when ECR no longer has it (expired by a lifecycle rule, deleted).
   * @throws CodedError `image_not_found` when the repository does not exist.
   */
  async tagsOfDigest(region: string, repository: string, digest: string): Promise<string[]> {
    try {
      const out = await callAws(
        {
          api: 'ECR',
          operation: 'DescribeImages',
          notFound: {
            names: ['RepositoryNotFoundException'],
            code: ErrorCodes.imageNotFound,
            message: `no image ${digest} in ECR repository ${repository}: the repository does not exist in ${region}`,
          },
        },
        () =>
          this.clientFor(region).send(
            new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageDigest: digest }] }),
          ),
      );
      const image = (out.imageDetails ?? []).find((d) => d.imageDigest === digest) ?? out.imageDetails?.at(0);
      return image?.imageTags ?? [];
    } catch (err) {
      if (err instanceof CodedError && awsErrorName(err.cause) === 'ImageNotFoundException') return [];
      throw err;
    }
  }
}
