// Files chosen with the picker or dropped on the page, with their paths relative to the folder they go to.

export interface Picked {
    file: File;
    /** "a.txt", or "photos/2024/a.jpg" for a file inside a dropped or picked folder. */
    path: string;
}

export interface Collected {
    files: Picked[];
    /** Folders to create even when empty ("photos/empty"). */
    folders: string[];
}

/** Files from an <input type="file">, with the folder structure of a webkitdirectory pick. */
export function fromInput(list: FileList | null): Collected {
    const files = Array.from(list ?? []).map((file) => ({ file, path: file.webkitRelativePath || file.name }));
    return { files, folders: [] };
}

/**
 * Files and folders from a drop. Folder entries (webkitGetAsEntry, in every current browser) are walked; the
 * entries must be taken while the drop event runs, so this reads them synchronously and walks them after.
 */
export function fromDrop(transfer: DataTransfer): Promise<Collected> {
    const entries: FileSystemEntry[] = [];
    for (const item of Array.from(transfer.items)) {
        if (item.kind !== "file") continue;
        const entry = typeof item.webkitGetAsEntry === "function" ? item.webkitGetAsEntry() : null;
        if (entry) entries.push(entry);
    }
    if (entries.length === 0) return Promise.resolve(fromInput(transfer.files));
    return walk(entries);
}

const maxEntries = 100_000;

async function walk(roots: FileSystemEntry[]): Promise<Collected> {
    const result: Collected = { files: [], folders: [] };
    const pending: { entry: FileSystemEntry; path: string }[] = roots.map((entry) => ({ entry, path: entry.name }));
    let seen = 0;
    while (pending.length > 0 && seen++ < maxEntries) {
        const { entry, path } = pending.shift()!;
        if (entry.isFile) {
            const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
            result.files.push({ file, path });
        } else if (entry.isDirectory) {
            result.folders.push(path);
            for (const child of await readAll(entry as FileSystemDirectoryEntry)) pending.push({ entry: child, path: `${path}/${child.name}` });
        }
    }
    return result;
}

// readEntries returns a batch at a time (100 in Chromium) until it returns none.
async function readAll(directory: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
    const reader = directory.createReader();
    const all: FileSystemEntry[] = [];
    for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
        if (batch.length === 0 || all.length > maxEntries) return all;
        all.push(...batch);
    }
}
