import 'aws-sdk-client-mock-jest';
import {
  DescribeImagesCommand,
  ECRClient,
  ImageNotFoundException,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { cachedPerRegion } from '../../src/aws/client-factory';
import { EcrAdapter } from '../../src/aws/ecr-adapter';
import { CodedError } from '../../src/errors';
import { ACCOUNT, DIGEST, IMAGE_URI, OLD_DIGEST, REGION, REPOSITORY, SHA } from './fixtures';
import { caught } from './helpers';

const ecrMock = mockClient(ECRClient);

function newAdapter(): EcrAdapter {
  return new EcrAdapter(cachedPerRegion((region) => new ECRClient({ region })));
}

const pushedImage = {
  registryId: ACCOUNT,
  repositoryName: REPOSITORY,
  imageDigest: DIGEST,
  imageTags: [SHA, 'latest'],
  imagePushedAt: new Date('2025-05-03T08:55:00Z'),
  imageSizeInBytes: 187_000_000,
};

describe('Class: EcrAdapter', () => {
  beforeEach(() => {
    ecrMock.reset();
  });

  describe('Method: resolveImage', () => {
    it('asks for the tag and returns the digest with a URI pinned by it', async () => {
      // Prepare
      ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [pushedImage] });

      // Act
      const image = await newAdapter().resolveImage(REGION, REPOSITORY, SHA);

      // Assess
      expect(ecrMock).toHaveReceivedCommandWith(DescribeImagesCommand, {
        repositoryName: REPOSITORY,
        imageIds: [{ imageTag: SHA }],
      });
      expect(image).toEqual({
        repository: REPOSITORY,
        tag: SHA,
        digest: DIGEST,
        imageUri: IMAGE_URI,
        pushedAt: new Date('2025-05-03T08:55:00Z'),
      });
    });

    it('answers image_not_found naming repository and tag when ECR throws ImageNotFoundException', async () => {
      // Prepare
      ecrMock.on(DescribeImagesCommand).rejects(
        new ImageNotFoundException({
          message:
            "The image with imageId {imageDigest:'null', imageTag:'abc1234'} does not exist within the repository",
          $metadata: { httpStatusCode: 400 },
        }),
      );

      // Act
      const err = await caught(newAdapter().resolveImage(REGION, REPOSITORY, SHA));

      // Assess
      expect(err).toBeInstanceOf(CodedError);
      expect(err.code).toBe('image_not_found');
      expect(err.message).toContain('no image tagged abc1234 in ECR repository mentalspace-backend');
      expect(err.cause).toBeInstanceOf(ImageNotFoundException);
    });

    it('answers image_not_found when ECR returns an empty list', async () => {
      // Prepare
      ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [] });

      // Act
      const err = await caught(newAdapter().resolveImage(REGION, REPOSITORY, SHA));

      // Assess
      expect(err.code).toBe('image_not_found');
      expect(err.message).toContain('no image tagged abc1234 in ECR repository mentalspace-backend');
    });

    it('answers image_not_found naming both when the repository does not exist', async () => {
      // Prepare
      ecrMock
        .on(DescribeImagesCommand)
        .rejects(new RepositoryNotFoundException({ message: 'repository does not exist', $metadata: {} }));

      // Act
      const err = await caught(newAdapter().resolveImage(REGION, 'mentalspace-backnd', SHA));

      // Assess
      expect(err.code).toBe('image_not_found');
      expect(err.message).toContain('abc1234');
      expect(err.message).toContain('mentalspace-backnd');
      expect(err.message).toContain('repository does not exist');
    });

    it('refuses a digest that is not sha256 and 64 hex characters', async () => {
      // Prepare
      ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ ...pushedImage, imageDigest: 'sha256:abc' }] });

      // Act
      const err = await caught(newAdapter().resolveImage(REGION, REPOSITORY, SHA));

      // Assess
      expect(err.code).toBe('aws_error');
      expect(err.message).toContain('unexpected digest');
    });
  });

  describe('Method: tagsOfDigest', () => {
    it('asks for the digest and returns the image’s tags', async () => {
      // Prepare
      ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [pushedImage] });

      // Act
      const tags = await newAdapter().tagsOfDigest(REGION, REPOSITORY, DIGEST);

      // Assess
      expect(ecrMock).toHaveReceivedCommandWith(DescribeImagesCommand, {
        repositoryName: REPOSITORY,
        imageIds: [{ imageDigest: DIGEST }],
      });
      expect(tags).toEqual([SHA, 'latest']);
    });

    it('returns no tags for an untagged image', async () => {
      // Prepare
      ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ ...pushedImage, imageTags: undefined }] });

      // Act
      const tags = await newAdapter().tagsOfDigest(REGION, REPOSITORY, DIGEST);

      // Assess
      expect(tags).toEqual([]);
    });

    it('returns no tags when ECR no longer has the image', async () => {
      // Prepare
      ecrMock
        .on(DescribeImagesCommand)
        .rejects(new ImageNotFoundException({ message: 'The image does not exist', $metadata: {} }));

      // Act
      const tags = await newAdapter().tagsOfDigest(REGION, REPOSITORY, OLD_DIGEST);

      // Assess
      expect(tags).toEqual([]);
    });

    it('answers image_not_found naming the repository when it does not exist', async () => {
      // Prepare
      ecrMock
        .on(DescribeImagesCommand)
        .rejects(new RepositoryNotFoundException({ message: 'repository does not exist', $metadata: {} }));

      // Act
      const err = await caught(newAdapter().tagsOfDigest(REGION, 'mentalspace-backnd', DIGEST));

      // Assess
      expect(err.code).toBe('image_not_found');
      expect(err.message).toContain('mentalspace-backnd');
      expect(err.message).toContain('the repository does not exist');
    });
  });
});
