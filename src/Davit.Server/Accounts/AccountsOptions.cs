namespace Davit.Server.Accounts;

/// <summary>What the server's accounts need from its options, resolved (full paths) and validated.</summary>
internal sealed record AccountsOptions(
    string UsersFile,
    bool AnonymousRead,
    bool AllowBasicOverHttp,
    string Realm,
    int MaxFailedLogins,
    TimeSpan FailedLoginWindow);
