using System.Text;
using Davit.Http;
using Davit.Storage;

namespace Davit.Engine.Methods;

/// <summary>
/// The hrefs of a folder's members in a listing: the folder's own href, built once, followed by each member's encoded
/// name, instead of encoding every member's whole path again (<see cref="DavRequest.Href(DavPath, bool)"/>).
/// </summary>
internal sealed class MemberHrefs(DavRequest request)
{
    private readonly StringBuilder builder = new();
    private string? folderHref;
    private int depth;

    /// <summary>Starts on the members of <paramref name="folder"/>.</summary>
    public void EnterFolder(IFolder folder)
    {
        // Outside the user's home a path is shown as the home itself (HomeFolders.ToVisible): those go the long way.
        var home = request.Home;
        folderHref = home.IsRoot || folder.Path.IsSameOrDescendantOf(home) ? request.Href(folder.Path, true) : null;
        depth = folder.Path.Segments.Length + 1;
    }

    /// <summary>The href of <paramref name="member"/>, a member of the folder last entered.</summary>
    public string Of(IHierarchyItem member)
    {
        if (folderHref is null || member.Path.Segments.Length != depth)
        {
            return request.Href(member);
        }

        builder.Clear().Append(folderHref);
        PathCodec.AppendEncoded(builder, member.Path.Name);
        if (member is IFolder)
        {
            builder.Append('/');
        }

        return builder.ToString();
    }
}
