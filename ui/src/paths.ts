// Hrefs as the server writes them: absolute paths, percent-encoded segments, '/' after folders.

/** Encodes one name as a path segment. */
export function encodeSegment(name: string): string {
    return encodeURIComponent(name);
}

/** The path part of an href (the server may answer with absolute URLs). */
export function pathOf(href: string): string {
    return href.startsWith("/") ? href : new URL(href, location.href).pathname;
}

/** The decoded segments of an href. */
export function segments(href: string): string[] {
    return pathOf(href)
        .split("/")
        .filter((s) => s.length > 0)
        .map((s) => {
            try {
                return decodeURIComponent(s);
            } catch {
                return s;
            }
        });
}

/** A comparable form of an href: decoded segments re-encoded one way, without a trailing '/'. */
export function pathKey(href: string): string {
    return "/" + segments(href).map(encodeSegment).join("/");
}

/** The last decoded segment of an href ("" for the root). */
export function nameOf(href: string): string {
    const all = segments(href);
    return all.length === 0 ? "" : all[all.length - 1]!;
}

/** The folder href ("/a/b/") holding href ("/a/b/c" or "/a/b/c/"). */
export function parentOf(href: string): string {
    const trimmed = pathOf(href).replace(/\/+$/, "");
    return trimmed.slice(0, trimmed.lastIndexOf("/") + 1) || "/";
}

/** The href of a child of folderHref, which ends in '/'. */
export function childHref(folderHref: string, name: string, isFolder: boolean): string {
    return folderHref + encodeSegment(name) + (isFolder ? "/" : "");
}

/** The href reached from folderHref by a relative path of names ("a/b/c.txt"). */
export function descendantHref(folderHref: string, relativePath: string, isFolder: boolean): string {
    const names = relativePath.split("/").filter((s) => s.length > 0);
    return folderHref + names.map(encodeSegment).join("/") + (isFolder ? "/" : "");
}

/** True when href lies inside folderHref (or is it). */
export function isWithin(href: string, folderHref: string): boolean {
    const inner = pathKey(href);
    const outer = pathKey(folderHref);
    return inner === outer || inner.startsWith(outer === "/" ? "/" : outer + "/");
}

/** Why a name cannot be used, or null when it can. */
export function invalidName(name: string): string | null {
    if (name.trim().length === 0) return "A name cannot be empty.";
    if (name === "." || name === "..") return "“.” and “..” cannot be used as names.";
    if (name.includes("/")) return "A name cannot contain “/”.";
    if (name.includes("\\")) return "A name cannot contain “\\”.";
    if (name.includes("\0")) return "A name cannot contain a NUL character.";
    return null;
}
