namespace Fhirhouse.Storage.Tests.S3;

/// <summary>One s3rver for all S3 tests; each test class uses its own key prefix.</summary>
[CollectionDefinition(nameof(S3rverCollection))]
public sealed class S3rverCollection : ICollectionFixture<S3rverServer>;
