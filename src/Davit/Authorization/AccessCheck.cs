using Davit.Storage;

namespace Davit.Authorization;

/// <summary>One access a request needs: <paramref name="Access"/> on <paramref name="Path"/> (and below it when
/// <paramref name="Tree"/>).</summary>
internal readonly record struct AccessCheck(DavPath Path, DavAccess Access, bool Tree);
