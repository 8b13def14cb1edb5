using Davit.Engine;
using System.Xml.Linq;
using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Xml;

/// <summary>A parsed PROPPATCH body (RFC 4918 §9.2, §14.19): the set and remove instructions in document order.</summary>
internal static class ProppatchRequest
{
    /// <summary>
    /// Reads DAV:propertyupdate. 400 when the body is missing, has another root, or holds no instruction.
    /// Unknown elements are ignored.
    /// </summary>
    public static IReadOnlyList<PropertyUpdate> Parse(XDocument? document)
    {
        var root = document?.Root;
        if (root is null || root.Name != DavNames.PropertyUpdate)
        {
            throw new DavException(StatusCodes.Status400BadRequest, "A PROPPATCH body must be a DAV:propertyupdate element.");
        }

        var updates = new List<PropertyUpdate>();
        foreach (var instruction in root.Elements())
        {
            var isSet = instruction.Name == DavNames.Set;
            if (!isSet && instruction.Name != DavNames.Remove)
            {
                continue;
            }

            foreach (var prop in instruction.Elements(DavNames.Prop))
            {
                foreach (var property in prop.Elements())
                {
                    updates.Add(isSet
                        ? new PropertyUpdate(property.Name, new DeadProperty(DeadPropertyCapture.Capture(property)))
                        : new PropertyUpdate(property.Name, null));
                }
            }
        }

        if (updates.Count == 0)
        {
            throw new DavException(StatusCodes.Status400BadRequest, "The PROPPATCH body holds no property to set or remove.");
        }

        return updates;
    }
}
