using Fhirhouse.Storage.Encryption;
using Fhirhouse.Storage.Keys;

namespace Fhirhouse.Storage.Lake;

/// <summary>
/// Reads every object of a lake end to end through its store (which authenticates every segment in an envelope lake)
/// and reports, by key, the objects that are tampered or unreadable. Backs <c>fhirhouse lake verify</c>.
/// </summary>
public static class LakeVerifier
{
    /// <summary>Verifies every object under <paramref name="prefix"/>; never throws for a bad object, only lists it.</summary>
    public static async Task<LakeVerification> VerifyAsync(LakeStore lake, string prefix = "", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lake);
        var problems = new List<ObjectProblem>();
        long objects = 0;
        long bytes = 0;
        var buffer = new byte[256 * 1024];
        await foreach (var info in lake.Stored.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            if (EncryptedObjectStore.IsReserved(info.Key))
            {
                continue;
            }

            objects++;
            try
            {
                await using var stream = await lake.Objects.OpenReadAsync(info.Key, cancellationToken).ConfigureAwait(false);
                int n;
                while ((n = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    bytes += n;
                }
            }
            catch (TamperedObjectException e)
            {
                problems.Add(new ObjectProblem(info.Key, ObjectProblemKind.Tampered, e.Message));
            }
            catch (KeyUnavailableException e)
            {
                problems.Add(new ObjectProblem(info.Key, ObjectProblemKind.KeyUnavailable, e.Message));
            }
            catch (IOException e)
            {
                problems.Add(new ObjectProblem(info.Key, ObjectProblemKind.Unreadable, e.Message));
            }
            catch (ObjectNotFoundException)
            {
                // Deleted since the listing: nothing left to verify.
                objects--;
            }
        }

        return new LakeVerification(objects, bytes, problems);
    }
}
