// What an upload is: a file on its way to a URL, alone or as part of a dropped folder, and the totals the
// queue shows.
import * as dav from "../dav";
import { descendantHref } from "../paths";
import { Meter } from "./meter";
import { SegmentAborted, type RunningSegment } from "./segment";

export type UploadState = "queued" | "running" | "paused" | "waiting" | "done" | "failed" | "cancelled";

/** How an upload treats a file already at its URL. */
export type Mode =
    /** If-None-Match: *: never replaces a file. */
    | { kind: "create" }
    /** If-Match: replaces only the version the user agreed to replace. */
    | { kind: "replace"; etag: string | null }
    /** Inside a folder upload merged into an existing folder: replaces what has the same name. */
    | { kind: "merge" };

/** The first segment of an upload; later ones are sized by the speed measured. */
export const firstSegment = 1024 * 1024;

let nextId = 1;

export class Upload {
    readonly id = nextId++;
    state: UploadState = "queued";
    /** Bytes the server has confirmed holding. */
    confirmed = 0;
    /** Bytes of the segment in flight handed to the network so far (not confirmed). */
    sending = 0;
    message = "";
    retryAt = 0;
    failures = 0;
    /** Whether `confirmed` is what the server holds now; when not, a REPORT comes before the next segment. */
    inSync: boolean;
    /** Whether bytes may have reached the server (cancel must then tell it). */
    touched = false;
    /** Whether a segment ending at the last byte was sent (its answer may have been lost). */
    sentLast = false;
    /** Whether the finished upload created the file (201) rather than replaced one. */
    created = false;
    segmentSize = firstSegment;
    readonly meter = new Meter();
    running: RunningSegment | null = null;
    settled: Promise<void> = Promise.resolve();

    constructor(
        readonly file: File,
        readonly url: string,
        /** The path below the folder the upload was started in ("a.txt", "photos/2024/a.jpg"). */
        readonly path: string,
        readonly group: Group | null,
        readonly mode: Mode,
        resume: boolean,
    ) {
        this.inSync = !resume;
    }

    get size(): number {
        return this.file.size;
    }

    get name(): string {
        return this.file.name;
    }

    get active(): boolean {
        return this.state !== "done" && this.state !== "cancelled";
    }
}

/** The files of one dropped or picked folder: its folders are created as needed, and cancel removes it all. */
export class Group {
    readonly id = nextId++;
    readonly uploads: Upload[] = [];
    /** Folders this upload created (MKCOL answered 201). */
    readonly created: string[] = [];
    cancelled = false;
    /** While and after a cancel: what it has done, in words. */
    cancelling: string | null = null;
    private readonly folders = new Map<string, Promise<void>>();

    constructor(
        /** The folder the upload was started in. */
        readonly base: string,
        /** The name of the top folder. */
        readonly name: string,
    ) {}

    get href(): string {
        return descendantHref(this.base, this.name, true);
    }

    /** Creates the folder at `dir` (relative to base) and those above it, once. */
    ensure(dir: string): Promise<void> {
        if (dir === "") return Promise.resolve();
        let pending = this.folders.get(dir);
        if (!pending) {
            const slash = dir.lastIndexOf("/");
            pending = this.ensure(slash < 0 ? "" : dir.slice(0, slash)).then(async () => {
                if (this.cancelled) throw new SegmentAborted("cancelled");
                const href = descendantHref(this.base, dir, true);
                if (await dav.mkcol(href)) this.created.push(href);
            });
            pending.catch(() => this.folders.delete(dir));
            this.folders.set(dir, pending);
        }
        return pending;
    }

    async settledFolders(): Promise<void> {
        await Promise.allSettled(this.folders.values());
    }
}

export interface UploadRequest {
    file: File;
    path: string;
    url: string;
    mode: Mode;
    resume: boolean;
    group: Group | null;
}

export interface Totals {
    count: number;
    done: number;
    failed: number;
    active: number;
    paused: number;
    size: number;
    confirmed: number;
    sending: number;
    rate: number;
}

export function totals(uploads: readonly Upload[]): Totals {
    const t: Totals = { count: 0, done: 0, failed: 0, active: 0, paused: 0, size: 0, confirmed: 0, sending: 0, rate: 0 };
    const now = performance.now();
    for (const u of uploads) {
        if (u.state === "cancelled") continue;
        t.count++;
        t.size += u.size;
        t.confirmed += u.confirmed;
        t.sending += u.sending;
        if (u.state === "done") t.done++;
        else if (u.state === "failed") t.failed++;
        else if (u.state === "paused") t.paused++;
        else t.active++;
        if (u.state === "running") t.rate += u.meter.rate(now);
    }
    return t;
}
