// Sizes, dates, durations and file kinds as people read them.

const sizeUnits = ["KiB", "MiB", "GiB", "TiB", "PiB"];

/** "1 item", "10,000 items". */
export function count(n: number, one: string, many: string): string {
    return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

export function formatSize(bytes: number): string {
    if (bytes < 1024) return bytes === 1 ? "1 byte" : `${bytes} bytes`;
    let value = bytes / 1024;
    let unit = 0;
    while (value >= 1024 && unit < sizeUnits.length - 1) {
        value /= 1024;
        unit++;
    }
    const digits = value < 10 ? 1 : 0;
    return `${value.toFixed(digits)} ${sizeUnits[unit]}`;
}

/** "12.5 of 64.0 MiB": both figures in the unit of the total. */
export function formatProgress(done: number, total: number): string {
    if (total < 1024) return `${done} of ${formatSize(total)}`;
    let unit = 0;
    let scale = 1024;
    while (total / scale >= 1024 && unit < sizeUnits.length - 1) {
        scale *= 1024;
        unit++;
    }
    const digits = total / scale < 10 ? 2 : 1;
    return `${(done / scale).toFixed(digits)} of ${(total / scale).toFixed(digits)} ${sizeUnits[unit]}`;
}

export function formatSpeed(bytesPerSecond: number): string {
    return `${formatSize(Math.round(bytesPerSecond))}/s`;
}

export function formatDuration(seconds: number): string {
    if (!isFinite(seconds) || seconds < 0) return "";
    const s = Math.ceil(seconds);
    if (s < 60) return `${s} s`;
    const m = Math.floor(s / 60);
    if (m < 60) return `${m} min ${s % 60} s`;
    const h = Math.floor(m / 60);
    return `${h} h ${m % 60} min`;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

export function formatDate(ms: number): string {
    return isNaN(ms) ? "" : dateFormat.format(ms);
}

/** "14:02", or "12 May 2027, 14:02" when not today. */
export function formatClock(ms: number): string {
    const date = new Date(ms);
    const today = new Date();
    return date.toDateString() === today.toDateString() ? timeFormat.format(date) : `${dayFormat.format(date)}, ${timeFormat.format(date)}`;
}

export type Kind = "folder" | "image" | "video" | "audio" | "archive" | "code" | "text" | "pdf" | "document" | "sheet" | "slides" | "file";

const kindsByExtension: Record<string, Kind> = {};
function kinds(kind: Kind, extensions: string): void {
    for (const e of extensions.split(" ")) kindsByExtension[e] = kind;
}
kinds("image", "png jpg jpeg gif webp avif bmp svg ico tif tiff heic heif raw cr2 nef psd");
kinds("video", "mp4 m4v mkv webm mov avi wmv flv mpg mpeg 3gp ogv");
kinds("audio", "mp3 m4a aac flac wav ogg oga opus wma aiff mid midi");
kinds("archive", "zip tar gz tgz bz2 xz zst 7z rar iso dmg deb rpm jar apk cab");
kinds("code", "js mjs cjs ts tsx jsx json xml html htm css scss c h cpp hpp cc cs java kt go rs py rb php sh bash ps1 sql yml yaml toml ini swift lua pl r");
kinds("text", "txt md markdown log csv tsv rtf tex srt nfo");
kinds("pdf", "pdf");
kinds("document", "doc docx odt pages epub");
kinds("sheet", "xls xlsx ods numbers");
kinds("slides", "ppt pptx odp key");

export function kindOf(name: string, isFolder: boolean, contentType?: string): Kind {
    if (isFolder) return "folder";
    const dot = name.lastIndexOf(".");
    const byName = dot > 0 ? kindsByExtension[name.slice(dot + 1).toLowerCase()] : undefined;
    if (byName) return byName;
    const major = contentType?.split("/")[0];
    if (major === "image" || major === "video" || major === "audio") return major;
    if (major === "text") return "text";
    return "file";
}

export const kindLabels: Record<Kind, string> = {
    folder: "Folder",
    image: "Image",
    video: "Video",
    audio: "Audio",
    archive: "Archive",
    code: "Code",
    text: "Text",
    pdf: "PDF",
    document: "Document",
    sheet: "Spreadsheet",
    slides: "Presentation",
    file: "File",
};
