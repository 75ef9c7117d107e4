using Fhirhouse.Delta.Actions;
using Fhirhouse.Delta.Log;

namespace Fhirhouse.Delta.Transactions;

/// <summary>
/// Decides whether a commit that won the race for a version logically conflicts with ours (serializable isolation,
/// as Delta's OptimisticTransaction checks it); null when ours may simply take the next version.
/// </summary>
internal static class ConflictChecker
{
    public static string? FindConflict(Transaction ours, IReadOnlyList<DeltaAction> winning)
    {
        foreach (var action in winning)
        {
            switch (action)
            {
                case Protocol:
                    return "the winning commit changed the protocol";
                case Metadata:
                    return "the winning commit changed the table metadata";
                case SetTransaction txn when ours.AppIds.Contains(txn.AppId):
                    return $"the winning commit also committed a batch of application '{txn.AppId}'";
                case RemoveFile remove when ours.ReadFiles.Contains(DeltaPath.Canonical(remove.Path)):
                    return $"the winning commit removed the file '{remove.Path}' that this transaction read";
                case AddFile add when ours.ReadWholeTable && add.DataChange:
                    return $"the winning commit added the file '{add.Path}' to data this transaction read";
                default:
                    break;
            }
        }

        return null;
    }
}
