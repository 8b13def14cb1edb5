// What this browser remembers of its unfinished uploads, so that after a reload or a restart the same file
// (same name, size and modification time) picked again continues where the server stopped.
import { pathKey } from "../paths";

export interface Remembered {
    name: string;
    size: number;
    lastModified: number;
    /** The ETag of the file being replaced, so the upload cannot overwrite a newer version. */
    replaces: string | null;
    saved: number;
}

const prefix = "davit-upload:";
const keepMs = 7 * 24 * 3600 * 1000;

function key(url: string): string {
    return prefix + location.origin + pathKey(url);
}

function storage(): Storage | null {
    try {
        return window.localStorage;
    } catch {
        return null;
    }
}

export function remember(url: string, file: File, replaces: string | null): void {
    const value: Remembered = { name: file.name, size: file.size, lastModified: file.lastModified, replaces, saved: Date.now() };
    try {
        storage()?.setItem(key(url), JSON.stringify(value));
    } catch {
        // Storage full or refused: the upload still works, it just cannot be matched after a reload.
    }
}

export function recall(url: string): Remembered | null {
    try {
        const text = storage()?.getItem(key(url));
        return text ? (JSON.parse(text) as Remembered) : null;
    } catch {
        return null;
    }
}

export function forget(url: string): void {
    storage()?.removeItem(key(url));
}

/** True when `file` is the one whose upload was remembered for `url`. */
export function matches(url: string, file: File): Remembered | null {
    const r = recall(url);
    return r && r.name === file.name && r.size === file.size && r.lastModified === file.lastModified ? r : null;
}

/** Drops records older than a week (the server reclaims its unfinished uploads after a day by default). */
export function prune(): void {
    const s = storage();
    if (!s) return;
    const now = Date.now();
    for (let i = s.length - 1; i >= 0; i--) {
        const k = s.key(i);
        if (!k?.startsWith(prefix)) continue;
        try {
            const r = JSON.parse(s.getItem(k) ?? "") as Remembered;
            if (now - r.saved > keepMs) s.removeItem(k);
        } catch {
            s.removeItem(k);
        }
    }
}
