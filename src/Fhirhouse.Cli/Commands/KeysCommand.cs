using System.CommandLine;
using Fhirhouse.Storage.Keys.Keyring;

namespace Fhirhouse.Cli.Commands;

/// <summary>
/// <c>fhirhouse keys init|rotate|list</c>: the lake's key-encryption keys. The local keyring's master key is a random key
/// file (default) or derived from a passphrase (Argon2id) read from an environment variable, never from the command line.
/// PKCS#11 HSMs and AWS KMS are supported by the library (docs/encryption.md).
/// </summary>
internal static class KeysCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("keys", "Manage the lake's key-encryption keys (local keyring). An HSM (PKCS#11) or AWS KMS can hold them instead: see docs/encryption.md.");
        command.Subcommands.Add(Init(context));
        command.Subcommands.Add(Rotate(context));
        command.Subcommands.Add(List(context));
        return command;
    }

    private static Command Init(CliContext context)
    {
        var lake = new LakeOptionSet();
        var passphraseVariable = new Option<string?>("--passphrase-env") { Description = "Derive the master key from the passphrase in this environment variable (Argon2id) instead of a random key file." };
        var command = new Command("init", "Create the keyring and the lake's key; refuses to overwrite an existing keyring.");
        command.Options.Add(lake.Keyring);
        command.Options.Add(passphraseVariable);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = Path.GetFullPath(parse.GetValue(lake.Keyring)!);
            if (File.Exists(path))
            {
                throw new IOException($"A keyring already exists at {path}; nothing was changed.");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            MasterKey master;
            string where;
            if (parse.GetValue(passphraseVariable) is { } variable)
            {
                var passphrase = Environment.GetEnvironmentVariable(variable);
                if (string.IsNullOrEmpty(passphrase))
                {
                    throw new ArgumentException($"The environment variable {variable} (--passphrase-env) is empty or not set.");
                }

                master = MasterKey.FromPassphrase(passphrase);
                where = $"a passphrase from ${variable}";
            }
            else
            {
                var keyFile = Path.ChangeExtension(path, ".key");
                master = MasterKey.CreateKeyFile(keyFile);
                where = $"a random master key in {keyFile} (readable by its owner only)";
            }

            var keyring = LocalKeyring.Create(path, master, context.Time);
            await keyring.CreateKeyAsync("lake", cancellationToken).ConfigureAwait(false);
            context.Out.WriteLine($"Created keyring {path} protected by {where}, with the key 'lake'.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Rotate(CliContext context)
    {
        var lake = new LakeOptionSet();
        var key = new Option<string>("--key") { Description = "The key to rotate.", DefaultValueFactory = _ => "lake" };
        var command = new Command("rotate", "Make a new version of a key, re-wrap every object's data key under it (data untouched), and retire versions nothing uses.");
        lake.AddTo(command);
        command.Options.Add(key);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var store = await lake.OpenAsync(parse, context, cancellationToken).ConfigureAwait(false);
            var encrypted = store.Encrypted ?? throw new InvalidOperationException("This lake is not envelope-encrypted: its keys are the store's (SSE-KMS).");
            var id = parse.GetValue(key)!;
            var info = await encrypted.KeyProvider.RotateAsync(id, cancellationToken).ConfigureAwait(false);
            var rewrapped = await encrypted.RewrapAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var retired = await encrypted.RetireUnusedKeyVersionsAsync(cancellationToken).ConfigureAwait(false);
            context.Out.WriteLine($"Key '{id}' is now at version {info.CurrentVersion}; {rewrapped} objects re-wrapped; {retired.Count} old versions retired.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var lake = new LakeOptionSet();
        var command = new Command("list", "The keys, their versions, and how many objects of the lake each version protects.");
        lake.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var store = await lake.OpenAsync(parse, context, cancellationToken).ConfigureAwait(false);
            var encrypted = store.Encrypted ?? throw new InvalidOperationException("This lake is not envelope-encrypted: its keys are the store's (SSE-KMS).");
            var usage = await encrypted.GetKeyUsageAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var k in await encrypted.KeyProvider.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                context.Out.WriteLine($"{k.KeyId}: current version {k.CurrentVersion}, versions {string.Join(",", k.Versions)}");
                foreach (var u in usage.Where(u => u.KeyId == k.KeyId))
                {
                    context.Out.WriteLine($"  version {u.KekVersion}: {u.Objects} objects");
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
