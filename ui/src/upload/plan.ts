// Turns what was picked or dropped into uploads: which replace a file, which go into an existing folder, and
// which continue an unfinished upload of the same file. What cannot be decided alone becomes a question.
import * as dav from "../dav";
import type { Entry, ServerUpload } from "../dav";
import { descendantHref, pathKey } from "../paths";
import type { Collected, Picked } from "./collect";
import * as memory from "./resume";
import { Group, type Mode, type UploadRequest } from "./model";

export interface Unfinished {
    picked: Picked;
    url: string;
    server: ServerUpload;
}

export interface UploadPlan {
    folder: string;
    /** Files and folders that can go as they are. */
    ready: { picked: Picked; url: string; mode: Mode; resume: boolean; top: string | null }[];
    /** Top-level files that would replace a file. */
    replacing: { picked: Picked; url: string; existing: Entry; etag: string | null }[];
    /** Top-level folders that already exist. */
    merging: string[];
    /** Unfinished uploads of a file with this name and size that this browser cannot vouch for. */
    unfinished: Unfinished[];
    /** Names that cannot be uploaded (a folder where a file would go, or the reverse). */
    blocked: string[];
    /** Empty folders to create. */
    folders: string[];
}

export interface Answers {
    replace: boolean;
    merge: boolean;
    resumeUnfinished: boolean;
}

export async function plan(collected: Collected, folder: string, listing: readonly Entry[]): Promise<UploadPlan> {
    let server: ServerUpload[] = [];
    try {
        server = await dav.uploadProgress(folder);
    } catch {
        // Without the report every file starts from its first byte; nothing is lost but time.
    }
    const inProgress = new Map(server.map((s) => [pathKey(s.href), s]));
    const existing = new Map(listing.map((e) => [e.name, e]));
    const result: UploadPlan = { folder, ready: [], replacing: [], merging: [], unfinished: [], blocked: [], folders: [] };
    const tops = new Set<string>();

    for (const picked of collected.files) {
        const slash = picked.path.indexOf("/");
        const top = slash < 0 ? null : picked.path.slice(0, slash);
        const url = descendantHref(folder, picked.path, false);
        const here = existing.get(top ?? picked.file.name);
        if (top !== null) {
            if (here && !here.isFolder) {
                if (!result.blocked.includes(top)) result.blocked.push(top);
                continue;
            }
            if (here && !tops.has(top)) result.merging.push(top);
            tops.add(top);
        } else if (here?.isFolder) {
            result.blocked.push(picked.file.name);
            continue;
        }

        const unfinished = inProgress.get(pathKey(url));
        if (unfinished && unfinished.total === picked.file.size && unfinished.bytes < unfinished.total) {
            const known = memory.matches(url, picked.file);
            if (known) {
                const mode: Mode = known.replaces ? { kind: "replace", etag: known.replaces } : top !== null && here ? { kind: "merge" } : { kind: "create" };
                result.ready.push({ picked, url, mode, resume: true, top });
                continue;
            }
            result.unfinished.push({ picked, url, server: unfinished });
            continue;
        }
        if (top === null && here) {
            result.replacing.push({ picked, url, existing: here, etag: null });
            continue;
        }
        result.ready.push({ picked, url, mode: top !== null && here ? { kind: "merge" } : { kind: "create" }, resume: false, top });
    }
    // The version the user agrees to replace: a newer one makes the upload fail with "the file changed meanwhile".
    await Promise.all(result.replacing.map(async (r) => (r.etag = await dav.etagOf(r.url).catch(() => null))));
    for (const f of collected.folders) {
        const top = f.split("/")[0]!;
        if (!result.blocked.includes(top)) {
            result.folders.push(f);
            if (!tops.has(top)) {
                tops.add(top);
                if (existing.get(top)?.isFolder) result.merging.push(top);
            }
        }
    }
    return result;
}

export function needsQuestions(p: UploadPlan): boolean {
    return p.replacing.length > 0 || p.merging.length > 0 || p.unfinished.length > 0;
}

/** The uploads to start, once the questions are answered. */
export function requests(p: UploadPlan, answers: Answers): UploadRequest[] {
    const groups = new Map<string, Group>();
    const groupOf = (top: string | null): Group | null => {
        if (top === null) return null;
        let g = groups.get(top);
        if (!g) groups.set(top, (g = new Group(p.folder, top)));
        return g;
    };
    const merging = new Set(p.merging);
    const out: UploadRequest[] = [];
    for (const r of p.ready) {
        if (r.top !== null && merging.has(r.top) && !answers.merge) continue;
        out.push({ file: r.picked.file, path: r.picked.path, url: r.url, mode: r.mode, resume: r.resume, group: groupOf(r.top) });
    }
    if (answers.replace) {
        for (const r of p.replacing)
            out.push({ file: r.picked.file, path: r.picked.path, url: r.url, mode: { kind: "replace", etag: r.etag }, resume: false, group: null });
    }
    for (const u of p.unfinished) {
        const slash = u.picked.path.indexOf("/");
        const top = slash < 0 ? null : u.picked.path.slice(0, slash);
        if (top !== null && merging.has(top) && !answers.merge) continue;
        const mode: Mode = top !== null && merging.has(top) ? { kind: "merge" } : { kind: "create" };
        out.push({ file: u.picked.file, path: u.picked.path, url: u.url, mode, resume: answers.resumeUnfinished, group: groupOf(top) });
    }
    // Empty folders: created through their group, so cancel removes them too.
    for (const f of p.folders) {
        const top = f.split("/")[0]!;
        if (merging.has(top) && !answers.merge) continue;
        void groupOf(top)
            ?.ensure(f)
            .catch(() => {});
    }
    return out;
}
