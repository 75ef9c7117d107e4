namespace Fhirhouse.Storage.Lake;

/// <summary>How a lake encrypts at rest; chosen when the lake is created and recorded in its metadata.</summary>
public enum LakeEncryption
{
    /// <summary>Client-side envelope encryption (<see cref="Encryption.EncryptedObjectStore"/>): the store sees only ciphertext.</summary>
    Envelope,

    /// <summary>S3 server-side encryption with a KMS key: Spark, Trino or Databricks read the tables natively.</summary>
    SseKms,
}
