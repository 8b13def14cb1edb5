// Small line icons drawn for this page (24×24, stroked with the text colour).
import type { JSX } from "preact";
import type { Kind } from "../format";

const paths: Record<string, string> = {
    folder: "M3 6.5A1.5 1.5 0 0 1 4.5 5H9l2 2.5h8.5A1.5 1.5 0 0 1 21 9v9.5a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 18.5z",
    file: "M6 3h8l5 5v12a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1zM14 3v5h5",
    image: "M4 5h16v14H4zM4 16l5-5 4 4 2-2 5 5M15.5 9.5a1.5 1.5 0 1 0 0-.01",
    video: "M3 6h13v12H3zM16 10l5-3v10l-5-3",
    audio: "M9 18V6l11-2v12M9 18a3 3 0 1 1-3-3 3 3 0 0 1 3 3zM20 16a3 3 0 1 1-3-3 3 3 0 0 1 3 3",
    archive: "M4 4h16v4H4zM5 8v12h14V8M10 12h4",
    code: "M6 3h8l5 5v12a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1zM10 12l-2 2.5 2 2.5M14 12l2 2.5-2 2.5",
    text: "M6 3h8l5 5v12a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1zM8.5 12h7M8.5 15h7M8.5 18h4",
    pdf: "M6 3h8l5 5v12a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1zM8 17v-4h1.5a1.2 1.2 0 0 1 0 2.5H8M12.5 13v4h1a2 2 0 0 0 0-4zM17 13h-1.5v4M15.5 15h1.3",
    document: "M6 3h8l5 5v12a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1zM8 12l1.3 5 1.7-4 1.7 4 1.3-5",
    sheet: "M6 3h8l5 5v12a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1zM8 11h8v7H8zM8 14.5h8M12 11v7",
    slides: "M6 3h8l5 5v12a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1zM8 11h8v6H8z",
    upload: "M12 16V4M7 9l5-5 5 5M4 15v4a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-4",
    uploadFolder:
        "M3 6.5A1.5 1.5 0 0 1 4.5 5H9l2 2.5h8.5A1.5 1.5 0 0 1 21 9v9.5a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 18.5zM12 17v-6M9.5 13.5 12 11l2.5 2.5",
    newFolder: "M3 6.5A1.5 1.5 0 0 1 4.5 5H9l2 2.5h8.5A1.5 1.5 0 0 1 21 9v9.5a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 18.5zM12 10.5v6M9 13.5h6",
    rename: "M4 20h4L19 9l-4-4L4 16zM13.5 6.5l4 4",
    move: "M3 6.5A1.5 1.5 0 0 1 4.5 5H9l2 2.5h8.5A1.5 1.5 0 0 1 21 9v9.5a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 18.5zM8 13.5h8M13 10.5l3 3-3 3",
    copy: "M9 9h11v11H9zM5 15H4V4h11v1",
    trash: "M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3",
    download: "M12 4v12M7 11l5 5 5-5M4 20h16",
    pause: "M8 5v14M16 5v14",
    play: "M7 4l13 8-13 8z",
    close: "M6 6l12 12M18 6L6 18",
    retry: "M4 12a8 8 0 1 0 2.3-5.6M4 4v4h4",
    home: "M3 11l9-7 9 7M5 9.5V20h5v-6h4v6h5V9.5",
    search: "M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14zM16 16l5 5",
    chevronDown: "M6 9l6 6 6-6",
    chevronUp: "M6 15l6-6 6 6",
    up: "M12 19V5M6 11l6-6 6 6",
    warning: "M12 3l10 18H2zM12 10v5M12 18v.01",
};

export type IconName = keyof typeof paths | Kind;

export function Icon({ name, label, class: className }: { name: IconName; label?: string; class?: string }): JSX.Element {
    return (
        <svg
            class={`icon ${className ?? ""}`}
            viewBox="0 0 24 24"
            width="20"
            height="20"
            fill="none"
            stroke="currentColor"
            stroke-width="1.8"
            stroke-linecap="round"
            stroke-linejoin="round"
            role={label ? "img" : undefined}
            aria-label={label}
            aria-hidden={label ? undefined : "true"}
            focusable="false"
        >
            <path d={paths[name] ?? paths.file} />
        </svg>
    );
}
