using System.Security.Cryptography;
using System.Text;
using Fhirhouse.Lake;
using Fhirhouse.Lake.Erasure;
using Fhirhouse.Storage;

namespace Fhirhouse.Cli.Commands;

/// <summary>
/// The SQL shell's history, kept in the lake rather than in a file in clear: statements name patients (<c>WHERE id =
/// '…'</c>), so they are stored as the lake stores everything (envelope-encrypted) under
/// <see cref="LakeLayout.ShellHistory"/>, one object per user (named by a hash of the user), the last
/// <see cref="Keep"/> statements. <see cref="Erasure"/> takes the statements naming an erased patient out.
/// </summary>
internal sealed class ShellHistory
{
    private readonly IObjectStore _lake;

    private ShellHistory(IObjectStore lake, string key)
    {
        _lake = lake;
        Key = key;
    }

    /// <summary>The history of <paramref name="user"/>.</summary>
    public static ShellHistory Of(IObjectStore lake, string user) =>
        new(lake, LakeLayout.ShellHistory + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(user)))[..32] + ".txt");
    /// <summary>Statements kept (the oldest are dropped).</summary>
    public const int Keep = 1000;

    /// <summary>The user's history object.</summary>
    public string Key { get; }

    public async Task<IReadOnlyList<string>> LoadAsync(CancellationToken cancellationToken)
    {
        if (!await _lake.ExistsAsync(Key, cancellationToken).ConfigureAwait(false))
        {
            return [];
        }

        var text = Encoding.UTF8.GetString(await _lake.ReadAllBytesAsync(Key, cancellationToken).ConfigureAwait(false));
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Unescape)];
    }

    public async Task SaveAsync(IReadOnlyList<string> statements, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        foreach (var statement in statements.Skip(Math.Max(0, statements.Count - Keep)))
        {
            text.Append(statement.Replace("\\", "\\\\", StringComparison.Ordinal).ReplaceLineEndings("\\n")).Append('\n');
        }

        await _lake.PutAsync(Key, Encoding.UTF8.GetBytes(text.ToString()), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The history's erasure participant (the CLI registers it with <c>forget</c>): every statement naming the patient (their
    /// id as a whole token, quoted or not, or one of their resource keys) is removed from every user's history.
    /// </summary>
    public sealed class Erasure(IObjectStore lake) : IErasureParticipant
    {
        public string Name => "the SQL shell's history";

        public IReadOnlyList<string> Prefixes { get; } = [LakeLayout.ShellHistory];

        public async Task<IReadOnlyList<JobFileErasure>> EraseAsync(PatientMatcher patient, bool dryRun, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(patient);
            var keys = new List<string>();
            await foreach (var info in lake.ListAsync(LakeLayout.ShellHistory, cancellationToken).ConfigureAwait(false))
            {
                keys.Add(info.Key);
            }

            var changed = new List<JobFileErasure>();
            foreach (var key in keys)
            {
                var history = new ShellHistory(lake, key);
                var statements = await history.LoadAsync(cancellationToken).ConfigureAwait(false);
                var kept = statements.Where(s => !Names(s, patient)).ToList();
                if (kept.Count == statements.Count)
                {
                    continue;
                }

                if (!dryRun)
                {
                    await (kept.Count == 0 ? lake.DeleteAsync(key, cancellationToken) : history.SaveAsync(kept, cancellationToken)).ConfigureAwait(false);
                }

                changed.Add(new JobFileErasure(key, kept.Count == 0 ? "deleted" : "rewritten", statements.Count - kept.Count));
            }

            return changed;
        }

        /// <summary>True when a token of the statement (a run of letters, digits, '-', '.', '/') is the patient's id or one of their keys.</summary>
        private static bool Names(string statement, PatientMatcher patient)
        {
            var start = -1;
            for (var i = 0; i <= statement.Length; i++)
            {
                var part = i < statement.Length && (char.IsAsciiLetterOrDigit(statement[i]) || statement[i] is '-' or '.' or '/');
                if (part && start < 0)
                {
                    start = i;
                }
                else if (!part && start >= 0)
                {
                    if (patient.Names(statement[start..i]))
                    {
                        return true;
                    }

                    start = -1;
                }
            }

            return false;
        }
    }

    private static string Unescape(string line)
    {
        var result = new StringBuilder(line.Length);
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length)
            {
                result.Append(line[++i] == 'n' ? '\n' : line[i]);
            }
            else
            {
                result.Append(line[i]);
            }
        }

        return result.ToString();
    }
}
