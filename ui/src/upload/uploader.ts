// The upload queue: segments of each file PUT with Content-Range, a few files at a time, paused, resumed,
// retried and cancelled. A bar moves only by what the server confirms: the Range of its 308 answer, or the
// upload-progress REPORT after a pause, a failure or a reload.
import * as dav from "../dav";
import { DavError } from "../dav";
import { reason, type Wording } from "../errors";
import { parentOf, pathKey } from "../paths";
import { Upload, type Group, type UploadRequest } from "./model";
import * as memory from "./resume";
import { sendSegment, SegmentAborted, SegmentNetworkError } from "./segment";

export { Group, totals, Upload, type Mode, type Totals, type UploadRequest, type UploadState } from "./model";

const minSegment = 256 * 1024;
const maxSegment = 64 * 1024 * 1024;
/** Segments aim at this long on the wire: long enough to cost little, short enough for the bar to move. */
const segmentTargetMs = 2000;
const stallMs = 30_000;
const maxFailures = 12;
const backoffSeconds = [1, 2, 4, 8, 15, 30];

export class Uploader {
    readonly uploads: Upload[] = [];
    limit = 3;
    /** Off when the server does not speak the resumable protocol: then each file is one plain PUT. */
    resumable = true;
    private detected: Promise<void> = Promise.resolve();
    /** Told when an upload finishes, fails or is cancelled. */
    onSettled: (upload: Upload) => void = () => {};
    private readonly listeners = new Set<() => void>();
    private notifyPending = false;

    constructor() {
        window.addEventListener("online", () => this.wake());
        // A lost connection can leave a request hanging for minutes; the browser knows sooner. The server keeps what
        // arrived, and the retry asks it how much that was.
        window.addEventListener("offline", () => {
            for (const u of this.uploads) if (u.state === "running") u.running?.abort(true);
        });
    }

    /** Asks the server (OPTIONS, its DAV header) whether it keeps partial uploads; uploads wait for the answer. */
    detect(root: string): void {
        this.detected = fetch(root, { method: "OPTIONS", credentials: "same-origin" })
            .then((r) => {
                this.resumable = (r.headers.get("DAV") ?? "").includes("resumable-upload");
            })
            .catch(() => {});
    }

    subscribe(listener: () => void): () => void {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }

    /** Coalesces the many progress events into one redraw per frame. */
    changed(): void {
        if (this.notifyPending) return;
        this.notifyPending = true;
        requestAnimationFrame(() => {
            this.notifyPending = false;
            for (const listener of this.listeners) listener();
        });
    }

    add(requests: UploadRequest[]): void {
        for (const r of requests) {
            const upload = new Upload(r.file, r.url, r.path, r.group, r.mode, r.resume);
            r.group?.uploads.push(upload);
            this.uploads.push(upload);
        }
        this.pump();
        this.changed();
    }

    setLimit(limit: number): void {
        this.limit = Math.max(1, Math.min(10, limit));
        this.pump();
        this.changed();
    }

    pause(upload: Upload): void {
        if (upload.state === "running") {
            upload.state = "paused";
            upload.running?.abort();
            upload.inSync = false;
            void this.confirmAfterPause(upload);
        } else if (upload.state === "queued" || upload.state === "waiting") {
            upload.state = "paused";
        }
        upload.meter.reset();
        this.pump();
        this.changed();
    }

    resume(upload: Upload): void {
        if (upload.state !== "paused") return;
        upload.state = "queued";
        upload.message = "";
        this.pump();
        this.changed();
    }

    retry(upload: Upload): void {
        if (upload.state !== "failed") return;
        upload.state = "queued";
        upload.failures = 0;
        upload.inSync = !upload.touched;
        upload.message = "";
        this.pump();
        this.changed();
    }

    pauseAll(): void {
        for (const u of this.uploads) this.pause(u);
    }

    resumeAll(): void {
        for (const u of this.uploads) {
            if (u.state === "paused") this.resume(u);
            else if (u.state === "failed") this.retry(u);
        }
    }

    /** Cancels one upload: the server drops what it has of it (CANCELUPLOAD). */
    async cancel(upload: Upload): Promise<void> {
        if (!upload.active) return;
        await this.stop([upload]);
        this.changed();
    }

    /** Cancels a folder upload and removes what it created: its folders and the files it added. */
    async cancelGroup(group: Group): Promise<void> {
        group.cancelled = true;
        group.cancelling = "Cancelling…";
        this.changed();
        try {
            await this.stop(group.uploads.filter((u) => u.active));
            await group.settledFolders();
            const created = new Set(group.created.map(pathKey));
            const tops = group.created.filter((href) => !created.has(pathKey(parentOf(href))));
            // Deleting a folder also discards the uploads in progress below it.
            for (const href of tops) await ignore404(() => dav.remove(href));
            for (const u of group.uploads) {
                if (u.created && !tops.some((t) => pathKey(u.url).startsWith(pathKey(t) + "/"))) await ignore404(() => dav.remove(u.url));
                u.state = "cancelled";
                u.message = "Cancelled";
            }
            group.cancelling = "Cancelled; what it had uploaded was removed";
        } catch (error) {
            group.cancelling = `Cancelled, but ${await reason(error, {})}: some of it may be left`;
        }
        this.changed();
        for (const u of group.uploads) this.onSettled(u);
    }

    async cancelAll(): Promise<void> {
        const groups = new Set(this.uploads.filter((u) => u.active && u.group).map((u) => u.group!));
        await Promise.all([...groups].map((g) => this.cancelGroup(g)));
        await this.stop(this.uploads.filter((u) => u.active && !u.group));
        this.changed();
    }

    /** Drops finished and cancelled uploads from the list. */
    clearFinished(): void {
        for (let i = this.uploads.length - 1; i >= 0; i--) {
            const u = this.uploads[i]!;
            if (!u.active) this.uploads.splice(i, 1);
        }
        this.changed();
    }

    private async stop(uploads: Upload[]): Promise<void> {
        for (const u of uploads) {
            u.state = "cancelled";
            u.message = "Cancelled";
            u.running?.abort();
            memory.forget(u.url);
        }
        this.pump();
        await Promise.all(
            uploads.map(async (u) => {
                await u.settled;
                if (u.touched) await discard(u.url);
                u.confirmed = 0;
                this.onSettled(u);
            }),
        );
    }

    private wake(): void {
        for (const u of this.uploads) {
            if (u.state === "waiting") {
                u.state = "queued";
                u.message = "";
            }
        }
        this.pump();
        this.changed();
    }

    private pump(): void {
        let running = this.uploads.filter((u) => u.state === "running").length;
        for (const u of this.uploads) {
            if (running >= this.limit) break;
            if (u.state !== "queued") continue;
            running++;
            u.state = "running";
            u.settled = this.run(u);
        }
    }

    private async run(u: Upload): Promise<void> {
        u.message = "";
        u.sending = 0;
        u.meter.reset();
        this.changed();
        try {
            if (u.group) {
                const slash = u.path.lastIndexOf("/");
                await u.group.ensure(slash < 0 ? "" : u.path.slice(0, slash));
            }
            await this.detected;
            if (!u.inSync && u.state === "running") {
                // Without the resumable protocol the server keeps nothing of a broken PUT: start again.
                if (this.resumable) await this.sync(u);
                else u.confirmed = 0;
            }
            if (u.state !== "running") return;
            memory.remember(u.url, u.file, u.mode.kind === "replace" ? u.mode.etag : null);
            u.meter.add(u.confirmed);
            while (u.state === "running") {
                if (await this.sendNext(u)) {
                    this.finish(u);
                    return;
                }
            }
        } catch (error) {
            u.running = null;
            u.sending = 0;
            if (u.state === "running" && !(error instanceof SegmentAborted)) await this.failed(u, error);
        } finally {
            this.pump();
            this.changed();
        }
    }

    /** Sends one segment from what the server has; true when the upload is complete. */
    private async sendNext(u: Upload): Promise<boolean> {
        const start = u.confirmed;
        const whole = !this.resumable || u.size === 0;
        const end = whole ? u.size : Math.min(u.size, start + u.segmentSize);
        const headers: Record<string, string> = { "Content-Type": u.file.type || "application/octet-stream" };
        if (u.mode.kind === "create") headers["If-None-Match"] = "*";
        if (u.mode.kind === "replace" && u.mode.etag) headers["If-Match"] = u.mode.etag;
        const began = performance.now();
        u.touched = true;
        u.sentLast ||= end === u.size;
        const segment = sendSegment({
            url: u.url,
            file: u.file,
            start: whole ? 0 : start,
            end,
            size: whole ? 0 : u.size,
            headers,
            stallMs,
            onSent: (sent) => {
                u.sending = Math.min(sent, end - start);
                u.meter.add(u.confirmed + u.sending);
                this.changed();
            },
        });
        u.running = segment;
        const answer = await segment.done;
        u.running = null;
        u.sending = 0;
        if (answer.saved !== null && answer.status < 400) {
            // Incomplete: the server says how much it holds (IT Hit's 308 with "Range: bytes=0-n").
            u.confirmed = Math.min(answer.saved, u.size);
            u.failures = 0;
            u.inSync = true;
            adapt(u, end - start, performance.now() - began);
            u.meter.add(u.confirmed);
            this.changed();
            return false;
        }
        if (answer.status >= 200 && answer.status < 300 && end === u.size) {
            u.confirmed = u.size;
            u.created = answer.status === 201;
            return true;
        }
        throw new DavError(answer.status, u.url, "PUT", lockRootOf(answer.body));
    }

    /** Asks the server how much of the upload it holds (the upload-progress REPORT on the file). */
    private async sync(u: Upload): Promise<void> {
        const found = (await dav.uploadProgress(u.url)).find((x) => pathKey(x.href) === pathKey(u.url));
        u.confirmed = 0;
        if (found && found.total === u.size && found.bytes < u.size) {
            u.confirmed = found.bytes;
        } else if (found && found.total === u.size && u.sentLast) {
            // The file is whole: the answer to our last segment was lost, unless the file is still the one there
            // before. When that cannot be told (a merge, or an ETag never known), sending it again is the safe way.
            const etag = await dav.etagOf(u.url);
            const ours = u.mode.kind === "create" ? etag !== null : u.mode.kind === "replace" && u.mode.etag !== null && etag !== u.mode.etag;
            if (ours) u.confirmed = u.size;
        }
        u.inSync = true;
        if (u.confirmed === u.size && u.size > 0) {
            this.finish(u);
        }
    }

    /** After a pause the server keeps what arrived; ask until its figure stops moving. */
    private async confirmAfterPause(u: Upload): Promise<void> {
        await u.settled;
        let last = -1;
        for (let i = 0; i < 6 && u.state === "paused"; i++) {
            await delay(i === 0 ? 100 : 400);
            try {
                const found = (await dav.uploadProgress(u.url)).find((x) => pathKey(x.href) === pathKey(u.url));
                if (!found || found.total !== u.size || u.state !== "paused") return;
                u.confirmed = found.bytes;
                this.changed();
                if (found.bytes === last) return;
                last = found.bytes;
            } catch {
                return;
            }
        }
    }

    private finish(u: Upload): void {
        u.state = "done";
        u.message = "";
        u.confirmed = u.size;
        memory.forget(u.url);
        this.onSettled(u);
    }

    private async failed(u: Upload, error: unknown): Promise<void> {
        const status = error instanceof DavError ? error.status : 0;
        const network = error instanceof SegmentNetworkError || status === 0;
        u.inSync = false;
        if (status === 412 && u.confirmed > 0 && u.failures < 3) {
            // The segment started past what the server holds (it lost bytes, or another tab restarted the upload).
            u.failures++;
            u.state = "queued";
            return;
        }
        if (network || [408, 409, 425, 429, 500, 502, 503, 504].includes(status)) {
            if (!navigator.onLine) {
                this.wait(u, 0, "Waiting for the network");
                return;
            }
            // A 409 that persists is a missing folder, not a busy one.
            if (++u.failures <= (status === 409 ? 3 : maxFailures)) {
                const seconds = backoffSeconds[Math.min(u.failures, backoffSeconds.length) - 1]!;
                this.wait(u, seconds * 1000, network ? "Connection lost" : "The server is busy");
                return;
            }
        }
        u.state = "failed";
        u.message = capitalize(await reason(error, uploadWording(u)));
        this.onSettled(u);
    }

    private wait(u: Upload, ms: number, message: string): void {
        u.state = "waiting";
        u.message = message;
        u.retryAt = ms > 0 ? Date.now() + ms : 0;
        u.meter.reset();
        // Offline, the "online" event wakes it; a slow check as well, in case the event never comes.
        const check = ms > 0 ? ms : 15_000;
        window.setTimeout(() => {
            if (u.state !== "waiting") return;
            if (ms === 0 && !navigator.onLine) {
                this.wait(u, 0, message);
                return;
            }
            u.state = "queued";
            u.message = "";
            this.pump();
            this.changed();
        }, check);
    }
}

function uploadWording(u: Upload): Wording {
    return {
        precondition: u.mode.kind === "create" ? "a file with this name was added meanwhile" : "the file changed meanwhile",
        conflict: "the folder it goes into is no longer there",
        notAllowed: "a folder has this name",
    };
}

/** Sizes the next segment to take about segmentTargetMs at the speed the last one went. */
function adapt(u: Upload, bytes: number, ms: number): void {
    if (bytes < u.segmentSize / 2 || ms <= 0) return;
    const next = (bytes / ms) * segmentTargetMs;
    const bounded = Math.max(minSegment, Math.min(maxSegment, next, u.segmentSize * 4));
    u.segmentSize = Math.round(bounded / minSegment) * minSegment;
}

function lockRootOf(body: string): string | null {
    const match = /<(?:\w+:)?lock-token-submitted[^>]*>\s*<(?:\w+:)?href[^>]*>([^<]+)</.exec(body);
    return match ? new URL(match[1]!.trim(), location.href).pathname : null;
}

/** CANCELUPLOAD, again while the server is still finishing the aborted segment (409). */
async function discard(url: string): Promise<void> {
    for (let attempt = 0; attempt < 8; attempt++) {
        try {
            await dav.cancelUpload(url);
            return;
        } catch (error) {
            if (!(error instanceof DavError) || (error.status !== 409 && error.status !== 0)) return;
            await delay(250 * (attempt + 1));
        }
    }
}

async function ignore404(action: () => Promise<void>): Promise<void> {
    try {
        await action();
    } catch (error) {
        if (!(error instanceof DavError) || error.status !== 404) throw error;
    }
}

function delay(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

function capitalize(text: string): string {
    return text.charAt(0).toUpperCase() + text.slice(1);
}
