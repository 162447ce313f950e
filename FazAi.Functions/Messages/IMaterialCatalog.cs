namespace FazAi.Functions.Messages;

/// <summary>Which materials an account has: an image or mp3 message may only name the account's own.</summary>
public interface IMaterialCatalog
{
    /// <summary>
    /// The names among <paramref name="names"/> that are materials of <paramref name="type"/> belonging to
    /// <paramref name="wxuin"/>.
    /// </summary>
    Task<IReadOnlySet<string>> ExistingNamesAsync(
        string wxuin, string type, IReadOnlyCollection<string> names, CancellationToken cancel);
}
