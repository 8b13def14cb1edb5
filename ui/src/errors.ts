// Failures said in plain words: "it is locked by alice until 14:02", "the disk is full".
import { DavError, locks } from "./dav";
import { formatClock } from "./format";
import { nameOf, pathKey } from "./paths";

export interface Wording {
    /** What 412 means for this request: "the file changed meanwhile", "an item with that name is already there". */
    precondition?: string;
    /** What 409 means for this request. */
    conflict?: string;
    /** What 405 means for this request. */
    notAllowed?: string;
}

/** Why a request failed, as a clause: "it is locked by alice until 14:02". */
export async function reason(error: unknown, wording: Wording = {}): Promise<string> {
    if (!(error instanceof DavError)) return "something went wrong in the page";
    switch (error.status) {
        case 0:
            return "the server cannot be reached";
        case 401:
            return "you are not signed in (reload the page to sign in)";
        case 403:
            return "you do not have permission";
        case 404:
            return "it is no longer there";
        case 405:
            return wording.notAllowed ?? "the server does not allow it here";
        case 409:
            return wording.conflict ?? "the folder it goes into is no longer there";
        case 412:
            return wording.precondition ?? "it changed meanwhile";
        case 413:
            return "it is larger than the server accepts";
        case 423:
            return await lockReason(error);
        case 502:
            return "the destination is on another server";
        case 507:
            return "the disk is full";
        default:
            return error.status >= 500 ? `the server failed (error ${error.status})` : `the server refused it (error ${error.status})`;
    }
}

async function lockReason(error: DavError): Promise<string> {
    const root = error.lockRoot ?? error.members.find((m) => m.status === 423)?.href ?? error.href;
    let held = "";
    try {
        const [lock] = await locks(root);
        if (lock) {
            held = ` by ${lock.owner || "someone"}` + (lock.expires === null ? "" : ` until ${formatClock(lock.expires)}`);
        }
    } catch {
        // The lock may be gone by now; say what we know.
    }
    const subject = pathKey(root) === pathKey(error.href) ? "it" : `“${nameOf(root)}”`;
    return `${subject} is locked${held}`;
}

/** "Could not delete “a.txt”: it is locked by alice until 14:02." */
export async function sentence(action: string, error: unknown, wording: Wording = {}): Promise<string> {
    return `Could not ${action}: ${await reason(error, wording)}.`;
}
