// The WebDAV requests the page makes: the same protocol any WebDAV client speaks, to this server only.
import { nameOf, pathOf } from "./paths";

const DAV = "DAV:";
const ITHIT = "ithit";

export interface Entry {
    href: string;
    name: string;
    isFolder: boolean;
    size: number;
    modified: number;
}

/** An upload in progress, as the upload-progress REPORT tells it. */
export interface ServerUpload {
    href: string;
    name: string;
    bytes: number;
    total: number;
    lastSaved: number;
}

export interface ActiveLock {
    owner: string;
    expires: number | null;
    root: string | null;
}

/** A request that failed: its status (0 when the server could not be reached) and what else the answer said. */
export class DavError extends Error {
    constructor(
        readonly status: number,
        readonly href: string,
        readonly method: string,
        /** The lock root named by a 423's DAV:error body, if any. */
        readonly lockRoot: string | null = null,
        /** For a 207: the members that failed, with their status. */
        readonly members: { href: string; status: number }[] = [],
    ) {
        super(`${method} ${href}: ${status}`);
    }
}

async function send(method: string, href: string, headers: Record<string, string> = {}, body?: string): Promise<Response> {
    try {
        return await fetch(href, { method, headers, body: body ?? null, credentials: "same-origin", cache: "no-store", redirect: "manual" });
    } catch {
        throw new DavError(0, href, method);
    }
}

function parseXml(text: string): Document | null {
    if (text.trim().length === 0) return null;
    const doc = new DOMParser().parseFromString(text, "application/xml");
    return doc.getElementsByTagName("parsererror").length > 0 ? null : doc;
}

function firstText(parent: Element | Document, ns: string, local: string): string | null {
    const found = parent.getElementsByTagNameNS(ns, local)[0];
    return found ? found.textContent : null;
}

function statusCode(line: string | null): number {
    const match = /HTTP\/[\d.]+\s+(\d{3})/.exec(line ?? "");
    return match ? Number(match[1]) : 0;
}

async function failure(response: Response, href: string, method: string): Promise<DavError> {
    const doc = parseXml(await response.text().catch(() => ""));
    let lockRoot: string | null = null;
    if (doc) {
        // RFC 4918 §16: DAV:lock-token-submitted names the locked resource(s) in DAV:href.
        const submitted = doc.getElementsByTagNameNS(DAV, "lock-token-submitted")[0];
        lockRoot = submitted ? firstText(submitted, DAV, "href") : null;
    }
    return new DavError(response.status, href, method, lockRoot && pathOf(lockRoot.trim()));
}

/** Throws for a 207 whose members failed (DELETE, COPY and MOVE of folders report them that way). */
async function checkMultistatus(response: Response, href: string, method: string): Promise<void> {
    if (response.status !== 207) return;
    const doc = parseXml(await response.text());
    const members: { href: string; status: number }[] = [];
    if (doc) {
        for (const r of Array.from(doc.getElementsByTagNameNS(DAV, "response"))) {
            const status = statusCode(firstText(r, DAV, "status"));
            if (status >= 400) members.push({ href: pathOf((firstText(r, DAV, "href") ?? "").trim()), status });
        }
    }
    if (members.length > 0) {
        const worst = members.find((m) => m.status === 423) ?? members[0]!;
        throw new DavError(worst.status, href, method, worst.status === 423 ? worst.href : null, members);
    }
}

async function expect(response: Response, href: string, method: string, ...ok: number[]): Promise<Response> {
    if (!ok.includes(response.status)) throw await failure(response, href, method);
    return response;
}

interface ListingJson {
    href: string;
    entries: { name: string; href: string; folder: boolean; size: number; modified: number }[];
}

/**
 * The folder's members. The server's JSON listing (GET ?davit-listing) rather than PROPFIND: for 10,000 members
 * the 207 body is three times larger and parsing its XML alone takes longer than the page may take to open.
 */
export async function list(folderHref: string): Promise<{ self: Entry; children: Entry[] }> {
    // A plain same-origin GET, so that it picks up the page's <link rel="preload"> of the first listing; the answer
    // says no-store, so later ones are fresh.
    const url = `${pathOf(folderHref)}?davit-listing`;
    let response: Response;
    try {
        response = await fetch(url, { credentials: "same-origin" });
    } catch {
        throw new DavError(0, folderHref, "GET");
    }
    await expect(response, folderHref, "GET", 200);
    const text = await response.text();
    performance.mark("davit-listing-received");
    let json: ListingJson;
    try {
        json = JSON.parse(text) as ListingJson;
    } catch {
        throw new DavError(502, folderHref, "GET");
    }
    const children = json.entries.map((e) => ({ href: e.href, name: e.name, isFolder: e.folder, size: e.size, modified: e.modified }));
    performance.mark("davit-listing-parsed");
    return { self: { href: json.href, name: nameOf(json.href), isFolder: true, size: 0, modified: NaN }, children };
}

/** MKCOL; true when created, false when something already has that name (405). */
export async function mkcol(href: string): Promise<boolean> {
    const response = await expect(await send("MKCOL", href), href, "MKCOL", 201, 405);
    return response.status === 201;
}

export async function remove(href: string): Promise<void> {
    const response = await expect(await send("DELETE", href), href, "DELETE", 200, 204, 207);
    await checkMultistatus(response, href, "DELETE");
}

/** COPY or MOVE (RFC 4918 §9.8-9); Overwrite: F unless overwrite. */
export async function transfer(method: "COPY" | "MOVE", href: string, destination: string, overwrite: boolean): Promise<void> {
    const headers = { Destination: new URL(destination, location.href).href, Overwrite: overwrite ? "T" : "F" };
    const response = await expect(await send(method, href, headers), href, method, 201, 204, 207);
    await checkMultistatus(response, href, method);
}

const progressBody = '<?xml version="1.0" encoding="utf-8"?><i:upload-progress xmlns:i="ithit"/>';

/**
 * The upload-progress REPORT (IT Hit's protocol): on a folder, every upload in progress below it; on a file, its
 * upload in progress or the complete file. An empty list when there is none (404).
 */
export async function uploadProgress(href: string): Promise<ServerUpload[]> {
    const response = await send("REPORT", href, { "Content-Type": "application/xml; charset=utf-8" }, progressBody);
    if (response.status === 404) return [];
    await expect(response, href, "REPORT", 207);
    const doc = parseXml(await response.text());
    const uploads: ServerUpload[] = [];
    for (const r of Array.from(doc?.getElementsByTagNameNS(DAV, "response") ?? [])) {
        const at = firstText(r, DAV, "href");
        const bytes = firstText(r, ITHIT, "bytes-uploaded");
        const total = firstText(r, ITHIT, "total-content-length");
        if (at === null || bytes === null || total === null) continue;
        const path = pathOf(at.trim());
        uploads.push({
            href: path,
            name: nameOf(path),
            bytes: Number(bytes),
            total: Number(total),
            lastSaved: Date.parse(firstText(r, ITHIT, "last-chunk-saved") ?? ""),
        });
    }
    return uploads;
}

/** CANCELUPLOAD: discards the upload in progress; false when there was none (404). */
export async function cancelUpload(href: string): Promise<boolean> {
    const response = await expect(await send("CANCELUPLOAD", href), href, "CANCELUPLOAD", 200, 204, 404);
    return response.status !== 404;
}

/** HEAD: the current ETag, or null when nothing is there. */
export async function etagOf(href: string): Promise<string | null> {
    const response = await send("HEAD", href);
    if (response.status === 404) return null;
    await expect(response, href, "HEAD", 200);
    return response.headers.get("ETag");
}

const lockBody = '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop><D:lockdiscovery/></D:prop></D:propfind>';

/** The locks on href (DAV:lockdiscovery): who holds them and until when. */
export async function locks(href: string): Promise<ActiveLock[]> {
    const response = await send("PROPFIND", href, { Depth: "0", "Content-Type": "application/xml; charset=utf-8" }, lockBody);
    if (response.status !== 207) return [];
    const doc = parseXml(await response.text());
    const result: ActiveLock[] = [];
    for (const active of Array.from(doc?.getElementsByTagNameNS(DAV, "activelock") ?? [])) {
        const ownerElement = active.getElementsByTagNameNS(DAV, "owner")[0];
        const timeout = firstText(active, DAV, "timeout")?.trim() ?? "";
        const seconds = /^Second-(\d+)$/i.exec(timeout);
        const root = active.getElementsByTagNameNS(DAV, "lockroot")[0];
        result.push({
            owner: ownerText(ownerElement),
            expires: seconds ? Date.now() + Number(seconds[1]) * 1000 : null,
            root: root ? pathOf((firstText(root, DAV, "href") ?? "").trim()) : null,
        });
    }
    return result;
}

// DAV:owner is free-form XML; clients put a name, a mailto: href, or both.
function ownerText(owner: Element | undefined): string {
    if (!owner) return "";
    const text = (owner.textContent ?? "").trim().replace(/\s+/g, " ");
    return text.replace(/^mailto:/i, "");
}
