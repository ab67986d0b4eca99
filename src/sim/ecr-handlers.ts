/** The simulated ECR API (JSON 1.1, target prefix `AmazonEC2ContainerRegistry_V20150921`). */
import type { Handler } from './ecs-handlers';
import { ACCOUNT_ID, type SimImage, type SimRepository, type SimState } from './model';
import { AwsError } from './wire';

/** @throws AwsError `RepositoryNotFoundException` */
function requireRepository(state: SimState, name: unknown): SimRepository {
  const repository = typeof name === 'string' ? state.repositories.get(name) : undefined;
  if (!repository) {
    throw new AwsError(
      'RepositoryNotFoundException',
      `The repository with name '${String(name)}' does not exist in the registry with id '${ACCOUNT_ID}'`,
    );
  }
  return repository;
}

function imageDetail(image: SimImage): Record<string, unknown> {
  return {
    registryId: ACCOUNT_ID,
    repositoryName: image.repository,
    imageDigest: image.digest,
    imageTags: [image.tag],
    imageSizeInBytes: image.sizeBytes,
    imagePushedAt: image.pushedAt,
    imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    artifactMediaType: 'application/vnd.docker.container.image.v1+json',
    lastRecordedPullTime: new Date(Date.now() - 3_600_000),
  };
}

const describeImages: Handler = (state, params) => {
  const repository = requireRepository(state, params.repositoryName);
  const images = state.images.get(repository.name) ?? [];
  const ids = Array.isArray(params.imageIds)
    ? (params.imageIds as { imageTag?: string; imageDigest?: string }[])
    : undefined;
  if (!ids) return { imageDetails: images.map(imageDetail) };
  const found: SimImage[] = [];
  for (const id of ids) {
    const image = images.find((i) => (id.imageDigest ? i.digest === id.imageDigest : i.tag === id.imageTag));
    if (!image) {
      const shown = `{imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'}`;
      throw new AwsError(
        'ImageNotFoundException',
        `The image with imageId ${shown} does not exist within the repository with name '${repository.name}' in the registry with id '${ACCOUNT_ID}'`,
      );
    }
    found.push(image);
  }
  return { imageDetails: found.map(imageDetail) };
};

const describeRepositories: Handler = (state, params) => {
  const names = Array.isArray(params.repositoryNames)
    ? (params.repositoryNames as unknown[])
    : [...state.repositories.keys()];
  const repositories = names.map((name) => requireRepository(state, name));
  return {
    repositories: repositories.map((r) => ({
      repositoryArn: r.arn,
      registryId: ACCOUNT_ID,
      repositoryName: r.name,
      repositoryUri: r.uri,
      createdAt: r.createdAt,
      imageTagMutability: 'MUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: { encryptionType: 'AES256' },
    })),
  };
};

export const ecrHandlers: Record<string, Handler> = {
  DescribeImages: describeImages,
  DescribeRepositories: describeRepositories,
};
