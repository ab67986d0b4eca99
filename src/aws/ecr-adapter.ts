import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import type { EcrPort } from '../engine/ports';
import type { ImageRef } from '../engine/types';
import { CodedError, ErrorCodes } from '../errors';
import { callAws } from './aws-errors';
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
          { names: ['RepositoryNotFoundException'], code, message: `${missing}: the repository does not exist in ${region}` },
        ],
      },
      () => this.clientFor(region).send(new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageTag: tag }] })),
    );
    const details = out.imageDetails ?? [];
    const image = details.find((d) => d.imageTags?.includes(tag)) ?? details[0];
    if (!image) throw new CodedError(ErrorCodes.imageNotFound, `${missing} (${region})`, { details: { repository, tag } });
    const digest = image.imageDigest ?? '';
    if (!DIGEST.test(digest)) {
      throw new CodedError(ErrorCodes.awsError, `ECR returned an unexpected digest for ${repository}:${tag}: ${digest.slice(0, 80) || 'none'}`);
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
}
