// One PUT of a byte range of a file (IT Hit's resumable-upload protocol: Content-Range on PUT). XMLHttpRequest
// rather than fetch, because only it reports how much of a request body has been sent.

export interface SegmentAnswer {
    status: number;
    /** Bytes the server says it holds ("Range: bytes=0-n" on an incomplete upload), or null. */
    saved: number | null;
    etag: string | null;
    /** The body, for DAV:error elements (a 423's lock root). */
    body: string;
}

export class SegmentAborted extends Error {}

/** The network failed (offline, connection reset, no progress for too long). */
export class SegmentNetworkError extends Error {}

export interface SegmentRequest {
    url: string;
    file: Blob;
    /** First byte (inclusive) and end (exclusive) of the segment; the whole file is `size` bytes. */
    start: number;
    end: number;
    size: number;
    headers: Record<string, string>;
    onSent: (bytes: number) => void;
    /** Aborts the request when no body byte has been sent for this long. */
    stallMs: number;
}

export interface RunningSegment {
    done: Promise<SegmentAnswer>;
    /** Stops the request: as a pause or cancel, or (networkLost) as a failure to retry. */
    abort(networkLost?: boolean): void;
}

export function sendSegment(request: SegmentRequest): RunningSegment {
    const xhr = new XMLHttpRequest();
    let stall = 0;
    let settled = false;
    let networkLost = false;
    const done = new Promise<SegmentAnswer>((resolve, reject) => {
        const finish = (action: () => void) => {
            if (settled) return;
            settled = true;
            clearTimeout(stall);
            action();
        };
        const armStall = () => {
            clearTimeout(stall);
            stall = window.setTimeout(() => {
                xhr.abort();
                finish(() => reject(new SegmentNetworkError("no progress")));
            }, request.stallMs);
        };
        xhr.open("PUT", request.url);
        for (const [name, value] of Object.entries(request.headers)) xhr.setRequestHeader(name, value);
        if (request.size > 0) {
            // RFC 9110 §14.4: "bytes first-last/complete-length", last inclusive.
            xhr.setRequestHeader("Content-Range", `bytes ${request.start}-${request.end - 1}/${request.size}`);
        }
        xhr.upload.onprogress = (e) => {
            armStall();
            request.onSent(e.loaded);
        };
        xhr.upload.onload = () => {
            // Every byte is out; the server may still be flushing it to disk before it answers.
            clearTimeout(stall);
        };
        xhr.onload = () =>
            finish(() => {
                const range = /bytes=0-(\d+)/.exec(xhr.getResponseHeader("Range") ?? "");
                resolve({ status: xhr.status, saved: range ? Number(range[1]) + 1 : null, etag: xhr.getResponseHeader("ETag"), body: xhr.responseText });
            });
        xhr.onerror = () => finish(() => reject(new SegmentNetworkError("network error")));
        xhr.ontimeout = xhr.onerror;
        xhr.onabort = () => finish(() => reject(networkLost ? new SegmentNetworkError("offline") : new SegmentAborted("aborted")));
        armStall();
        xhr.send(request.file.slice(request.start, request.end));
    });
    return {
        done,
        abort: (lost = false) => {
            networkLost = lost;
            xhr.abort();
        },
    };
}
