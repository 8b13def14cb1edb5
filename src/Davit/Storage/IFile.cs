namespace Davit.Storage;

/// <summary>A file (a WebDAV non-collection resource): an item with content.</summary>
public interface IFile : IHierarchyItem, IContent
{
}
